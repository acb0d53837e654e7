//! Writes a synthetic but valid `rapor` site, for benchmarks and scale tests.
//!
//! ```sh
//! cargo run --release --example synth -- --districts 500 --years 10 /tmp/site
//! target/release/rapor build --root /tmp/site
//! ```
//!
//! It writes `OUT_DIR/content/`: `site.yaml`, `districts.yaml` with N
//! districts (codes `99.0001`, slugs `kab-0001` / `kota-0006`), and Y
//! consecutive performance years from 2015, each with a full rubric (8
//! actions of 2-4 indicators, graded A-D or scored 0..2-4; components 60/20/20),
//! `year.yaml` with awards, `province.md`, and per district a data file and a
//! narrative of about 1.5 KB. About 5% of district-years are left out (not
//! assessed). The output depends only on the arguments: a fixed seed drives a
//! small xorshift generator, so the same arguments give the same bytes.
//!
//! Options: `--seed S` (default 2024), `--force` (replace an existing
//! `OUT_DIR/content/`) and `--map` (also write `map.geojson`: one region per
//! district on a jittered grid, neighbours sharing their wiggly boundaries,
//! as a real province's map does).

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

const FIRST_YEAR: u32 = 2015;
const USAGE: &str =
    "usage: synth --districts N --years Y [--seed S] [--force] [--map] OUT_DIR\n  writes a synthetic site into OUT_DIR/content/";

/// xorshift64* seeded through splitmix64, so nearby seeds give unrelated streams.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        Rng(if z == 0 { 0x2545_F491_4F6C_DD1D } else { z })
    }

    /// A stream for one (seed, a, b) triple, independent of every other.
    fn for_key(seed: u64, a: u64, b: u64) -> Rng {
        Rng::new(seed ^ a.wrapping_mul(0x100_0000_01B3) ^ b.wrapping_mul(0xA24B_AED4_963E_E407))
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in 0..n (n > 0).
    fn below(&mut self, n: usize) -> usize {
        (((self.next() >> 32) * n as u64) >> 32) as usize
    }

    /// Uniform in lo..=hi.
    fn range(&mut self, lo: u32, hi: u32) -> u32 {
        lo + self.below((hi - lo + 1) as usize) as u32
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// `k` distinct indices of 0..n, in ascending order.
    fn distinct(&mut self, n: usize, k: usize) -> Vec<usize> {
        let mut all: Vec<usize> = (0..n).collect();
        for i in 0..k.min(n) {
            let j = i + self.below(n - i);
            all.swap(i, j);
        }
        all.truncate(k.min(n));
        all.sort_unstable();
        all
    }
}

/// One of the 8 actions: its name, weight and the text the generator draws from.
struct ActionText {
    name: &'static str,
    weight: u32,
    indicators: [&'static str; 4],
    strengths: [&'static str; 3],
    improvements: [&'static str; 3],
    plans: [&'static str; 2],
}

const ACTIONS: [ActionText; 8] = [
    ActionText {
        name: "Analisis Situasi",
        weight: 15,
        indicators: [
            "Analisis situasi memakai data prevalensi dan cakupan layanan terbaru sampai tingkat desa/kelurahan",
            "Desa/kelurahan lokasi fokus ditetapkan sesuai hasil analisis situasi",
            "Rekomendasi analisis situasi dibagi ke OPD penanggung jawab",
            "Kesenjangan cakupan layanan gizi spesifik dan sensitif diidentifikasi per kecamatan",
        ],
        strengths: [
            "Analisis memakai data e-PPGBM tahun berjalan untuk seluruh desa/kelurahan",
            "Lokasi fokus ditetapkan dengan SK kepala daerah",
            "Rekomendasi analisis dibahas bersama OPD teknis",
        ],
        improvements: [
            "Sebagian rekomendasi belum memiliki OPD penanggung jawab",
            "Analisis belum memakai data cakupan layanan sensitif",
            "Lokasi fokus belum diperbarui sesuai data terbaru",
        ],
        plans: [
            "Menetapkan OPD penanggung jawab untuk setiap rekomendasi analisis situasi",
            "Memperbarui penetapan lokasi fokus berdasarkan data e-PPGBM terbaru",
        ],
    },
    ActionText {
        name: "Rencana Kegiatan",
        weight: 15,
        indicators: [
            "Kegiatan intervensi gizi spesifik dan sensitif termuat dalam RKPD dan Renja OPD",
            "Kegiatan OPD diarahkan ke desa/kelurahan lokasi fokus",
            "Anggaran percepatan penurunan stunting ditandai (tagging) di SIPD",
            "Sumber pendanaan di luar APBD (Dana Desa, CSR, BAZNAS, mitra) dipetakan dalam rencana kegiatan",
        ],
        strengths: [
            "Seluruh kegiatan prioritas termuat dengan target dan pagu",
            "Tagging anggaran stunting diverifikasi Bappeda",
            "Dana Desa dan CSR dipetakan per lokasi fokus",
        ],
        improvements: [
            "Tagging anggaran belum memisahkan belanja langsung dan pendukung",
            "Sebagian kegiatan OPD belum menyebut lokasi desa",
            "Pendanaan mitra belum masuk rencana kegiatan",
        ],
        plans: [
            "Melengkapi tagging anggaran stunting di SIPD untuk seluruh OPD",
            "Menandai lokasi desa pada seluruh kegiatan OPD dalam Renja",
        ],
    },
    ActionText {
        name: "Rembuk Stunting",
        weight: 10,
        indicators: [
            "Rembuk stunting dipimpin kepala daerah dan dihadiri unsur yang lengkap",
            "Komitmen hasil rembuk ditandatangani dan dipublikasikan",
            "Hasil rembuk stunting masuk ke dokumen perencanaan tahun berikutnya",
            "Rembuk stunting tingkat desa dan kecamatan dilaksanakan sebelum rembuk kabupaten/kota",
        ],
        strengths: [
            "Rembuk dipimpin langsung oleh bupati/wali kota",
            "Kesepakatan rembuk dipublikasikan di situs resmi pemerintah daerah",
            "Rembuk desa dan kecamatan mendahului rembuk kabupaten/kota",
        ],
        improvements: [
            "Dunia usaha dan perguruan tinggi belum dilibatkan",
            "Kesepakatan rembuk belum seluruhnya masuk RKPD",
            "Berita acara rembuk belum dipublikasikan",
        ],
        plans: [
            "Mengundang dunia usaha, perguruan tinggi, dan tokoh agama pada rembuk berikutnya",
            "Memantau masuknya kesepakatan rembuk ke RKPD dan Renja OPD",
        ],
    },
    ActionText {
        name: "Peraturan Bupati/Wali Kota tentang Peran Desa",
        weight: 10,
        indicators: [
            "Perbup/Perwali tentang peran desa/kelurahan ditetapkan dan disesuaikan dengan Perpres 72/2021",
            "Desa/kelurahan mengalokasikan dana untuk kegiatan konvergensi",
            "Peraturan disosialisasikan kepada perangkat desa dan kelurahan",
            "Pelaksanaan peraturan dipantau oleh camat",
        ],
        strengths: [
            "Perbup telah disesuaikan dengan Perpres 72/2021",
            "Sebagian besar desa mengalokasikan Dana Desa untuk konvergensi",
            "Camat memantau pelaksanaan peraturan setiap triwulan",
        ],
        improvements: [
            "Sosialisasi peraturan belum menjangkau seluruh desa",
            "Alokasi Dana Desa untuk stunting masih rendah",
            "Kelurahan belum mendapat alokasi dana kelurahan untuk konvergensi",
        ],
        plans: [
            "Menyosialisasikan Perbup peran desa kepada seluruh kepala desa dan lurah",
            "Menerbitkan surat edaran alokasi Dana Desa untuk kegiatan konvergensi",
        ],
    },
    ActionText {
        name: "Pembinaan Kader Pembangunan Manusia (KPM)",
        weight: 10,
        indicators: [
            "Setiap desa/kelurahan memiliki KPM yang ditetapkan dan aktif",
            "Peningkatan kapasitas KPM dan kader posyandu",
            "KPM memantau layanan konvergensi dan melapor melalui aplikasi eHDW",
            "KPM menerima insentif dari APBDes atau APBD",
        ],
        strengths: [
            "Seluruh desa memiliki KPM ber-SK",
            "KPM dilatih bersama kader posyandu dan Tim Pendamping Keluarga",
            "Laporan eHDW dibahas setiap bulan di desa",
        ],
        improvements: [
            "Sebagian KPM belum dilatih",
            "Pelaporan eHDW belum rutin",
            "Insentif KPM belum merata antardesa",
        ],
        plans: [
            "Melatih KPM baru dengan kurikulum terstandar",
            "Mendampingi desa yang KPM-nya belum melapor rutin di eHDW",
        ],
    },
    ActionText {
        name: "Sistem Manajemen Data Stunting",
        weight: 15,
        indicators: [
            "Tersedia sistem data stunting terintegrasi lintas OPD",
            "Data dimutakhirkan secara berkala",
            "Data dipakai dalam pengambilan keputusan",
            "Data keluarga berisiko stunting dari Pendataan Keluarga BKKBN dipadukan dengan data gizi",
        ],
        strengths: [
            "Dasbor data stunting dapat diakses OPD dan kecamatan",
            "Data dimutakhirkan setiap bulan",
            "Data dibahas rutin dalam rapat TPPS",
        ],
        improvements: [
            "Dasbor belum memuat data seluruh OPD",
            "Data keluarga berisiko belum dipadukan dengan data gizi",
            "Pemutakhiran data belum terjadwal",
        ],
        plans: [
            "Menambahkan data layanan OPD nonkesehatan ke dasbor",
            "Memadukan data keluarga berisiko dengan data e-PPGBM berdasarkan NIK",
        ],
    },
    ActionText {
        name: "Pengukuran dan Publikasi Data Stunting",
        weight: 15,
        indicators: [
            "Cakupan balita yang diukur panjang/tinggi badannya dan tercatat di e-PPGBM",
            "Pengukuran memakai alat antropometri terstandar oleh kader terlatih",
            "Data stunting dipublikasikan sampai tingkat desa/kelurahan",
            "Pengukuran serentak dilaksanakan minimal dua kali setahun",
        ],
        strengths: [
            "Cakupan pengukuran di atas 90%",
            "Seluruh posyandu memiliki alat antropometri terstandar",
            "Data dipublikasikan per desa di situs resmi",
        ],
        improvements: [
            "Publikasi data baru sampai tingkat kecamatan",
            "Sebagian posyandu belum memiliki alat terstandar",
            "Kader belum seluruhnya terlatih mengukur",
        ],
        plans: [
            "Mempublikasikan data stunting per desa setiap selesai pengukuran",
            "Melengkapi alat antropometri terstandar di posyandu yang belum memilikinya",
        ],
    },
    ActionText {
        name: "Reviu Kinerja Tahunan",
        weight: 10,
        indicators: [
            "Reviu kinerja tahunan dilaksanakan dan melibatkan pemangku kepentingan",
            "Rekomendasi reviu ditindaklanjuti dalam perencanaan dan penganggaran",
            "Laporan reviu memuat capaian, kendala, dan rekomendasi per OPD",
            "Hasil reviu dipublikasikan kepada masyarakat",
        ],
        strengths: [
            "Reviu melibatkan OPD, camat, desa, dan mitra",
            "Rekomendasi reviu dirinci per OPD",
            "Laporan reviu dipublikasikan",
        ],
        improvements: [
            "Rekomendasi reviu belum dirinci per OPD",
            "Tindak lanjut reviu belum terdokumentasi",
            "Reviu hanya berupa rapat internal",
        ],
        plans: [
            "Merinci rekomendasi reviu per OPD beserta tenggatnya",
            "Melibatkan camat dan perwakilan desa dalam reviu kinerja",
        ],
    },
];

const GRADES: [(&str, &str); 4] = [
    (
        "A",
        "Terpenuhi untuk seluruh desa/kelurahan dan terdokumentasi lengkap",
    ),
    ("B", "Terpenuhi untuk minimal 75% desa/kelurahan"),
    ("C", "Terpenuhi untuk 50–74% desa/kelurahan"),
    (
        "D",
        "Kurang dari 50% desa/kelurahan atau dokumen tidak tersedia",
    ),
];

const PLACE_FIRST: [&str; 16] = [
    "Tanah", "Sungai", "Bukit", "Muara", "Pulau", "Gunung", "Lembah", "Teluk", "Tanjung", "Sumber",
    "Karang", "Padang", "Kuala", "Batu", "Air", "Danau",
];
const PLACE_SECOND: [&str; 20] = [
    "Jaya",
    "Makmur",
    "Sari",
    "Indah",
    "Baru",
    "Raya",
    "Mulia",
    "Asri",
    "Harapan",
    "Permai",
    "Lestari",
    "Sejahtera",
    "Agung",
    "Emas",
    "Merah",
    "Hijau",
    "Putih",
    "Panjang",
    "Datar",
    "Tinggi",
];
const PLACE_THIRD: [&str; 6] = ["", " Utara", " Selatan", " Timur", " Barat", " Tengah"];

const COVERAGE: [(&str, &str); 9] = [
    ("Ibu hamil KEK mendapat makanan tambahan", "spesifik"),
    (
        "Balita dipantau pertumbuhan dan perkembangannya",
        "spesifik",
    ),
    (
        "Bayi usia kurang dari 6 bulan mendapat ASI eksklusif",
        "spesifik",
    ),
    ("Balita memperoleh imunisasi dasar lengkap", "spesifik"),
    ("Remaja putri mengonsumsi tablet tambah darah", "spesifik"),
    ("Rumah tangga mendapat akses air minum layak", "sensitif"),
    ("Rumah tangga mendapat akses sanitasi layak", "sensitif"),
    (
        "Keluarga berisiko stunting mendapat pendampingan",
        "sensitif",
    ),
    ("Keluarga miskin menerima bantuan pangan", "sensitif"),
];

/// Innovation: title, the actions it serves, and its summary (`{d}` = district name).
const INNOVATIONS: [(&str, &[u32], &str); 12] = [
    ("Posyandu Jemput Bola", &[7, 5], "Kader dan bidan desa mendatangi rumah balita yang tidak hadir di hari buka posyandu, sehingga cakupan pengukuran di {d} naik di desa-desa yang jauh dari pusat kecamatan."),
    ("Dapur Sehat Atasi Stunting (Dashat)", &[5, 2], "Kelompok PKK mengolah pangan lokal menjadi makanan tambahan bagi balita dan ibu hamil KEK. Bahan dibeli dari petani desa dengan **Dana Desa**, dan menunya disusun bersama ahli gizi puskesmas."),
    ("Bapak Asuh Anak Stunting", &[2, 6], "Pejabat daerah, BUMD, dan pengusaha lokal menjadi bapak asuh bagi anak stunting. Data dasbor dipakai untuk memilih anak yang didampingi dan memantau kenaikan berat serta tinggi badannya setiap bulan."),
    ("Dasbor Satu Data Stunting", &[6, 1], "Data e-PPGBM, Pendataan Keluarga BKKBN, dan layanan OPD dipadukan dalam satu dasbor yang dapat dibuka camat dan kepala desa. Dasbor ini menjadi bahan rapat TPPS {d} setiap bulan."),
    ("Kelas KPM Berjenjang", &[5], "KPM belajar bersama setiap bulan di kecamatan dengan memakai temuan *scorecard* desa sebagai bahan diskusi, lalu membawa hasilnya ke musyawarah desa."),
    ("Rembuk Stunting Berjenjang", &[3, 1], "Rembuk dimulai di desa, berlanjut ke kecamatan, dan berakhir di tingkat kabupaten/kota. Usulan dicatat dalam format yang sama sehingga Bappeda dapat membandingkannya dengan hasil analisis situasi."),
    ("Catin Sehat", &[1, 4], "Calon pengantin diperiksa kadar hemoglobin, lingkar lengan, dan status gizinya sebelum menikah. Desa mencatat hasilnya dan KUA menerbitkan surat keterangan setelah pemeriksaan selesai."),
    ("Gerakan Sanitasi Jumat Bersih", &[2, 4], "Setiap Jumat warga bergotong royong memperbaiki saluran air dan jamban keluarga. Desa mengalokasikan Dana Desa untuk bahan bangunan, sementara OPD pekerjaan umum memberikan pendampingan teknis."),
    ("Publikasi Data Desa di Papan Informasi", &[7], "Hasil pengukuran balita per dusun dipasang di papan informasi desa dan kanal media sosial resmi {d} setiap selesai bulan penimbangan."),
    ("Reviu Kinerja Terbuka", &[8], "Reviu kinerja tahunan digelar terbuka bersama camat, kepala desa, perguruan tinggi, dan mitra pembangunan. Rekomendasinya dirinci per OPD lengkap dengan tenggat dan penanggung jawab."),
    ("Pekarangan Pangan Lestari", &[2, 5], "Keluarga berisiko stunting mendapat bibit sayur dan ternak unggas untuk dipelihara di pekarangan. Hasilnya dipantau oleh kader dan penyuluh pertanian setiap dua minggu."),
    ("Perdes Peduli Stunting", &[4], "Desa menetapkan peraturan desa yang mewajibkan pencatatan ibu hamil dan balita serta menganggarkan insentif kader. Camat memverifikasi pelaksanaannya setiap triwulan."),
];

const OPENINGS: [&str; 4] = [
    "Panel penilai mencatat bahwa {d} menunjukkan kemajuan yang nyata pada tahun {y}, terutama pada aksi {a1} ({n1}).",
    "Pada penilaian atas kinerja {y}, {d} memperoleh nilai yang terutama ditopang oleh aksi {a1} ({n1}).",
    "Tim penilai memberi perhatian khusus kepada {d} karena hasil aksi {a1} ({n1}) tahun {y} dapat menjadi bahan belajar kabupaten/kota lain.",
    "{d} menyampaikan dokumen 8 aksi secara lengkap dan tepat waktu untuk penilaian kinerja {y}.",
];
const MIDDLES: [&str; 6] = [
    "Dokumen yang diunggah lengkap dan konsisten dengan paparan kepala daerah, sehingga verifikasi lapangan berjalan lancar.",
    "Verifikasi lapangan di dua desa lokasi fokus menunjukkan bahwa kader posyandu memahami alur pelaporan dan memakai alat ukur terstandar.",
    "Dalam paparan, kepala daerah menjelaskan bagaimana hasil analisis situasi dipakai untuk mengarahkan anggaran OPD ke desa yang prevalensinya paling tinggi.",
    "Kerja sama dengan desa adat dan tokoh agama membantu menjangkau keluarga yang sebelumnya jarang datang ke posyandu.",
    "Tim Percepatan Penurunan Stunting (TPPS) bertemu setiap bulan dan notulanya memuat keputusan yang dapat ditelusuri.",
    "Cakupan layanan gizi spesifik umumnya baik, tetapi layanan sensitif seperti air minum dan sanitasi masih tertinggal di beberapa kecamatan.",
];
const CONCERNS: [&str; 5] = [
    "Panel menyarankan agar aksi {a2} ({n2}) mendapat perhatian lebih, karena nilainya masih di bawah rata-rata provinsi.",
    "Kelemahan utama ada pada aksi {a2} ({n2}): dokumen tersedia, tetapi belum menunjukkan tindak lanjut yang terukur.",
    "Aksi {a2} ({n2}) perlu diperkuat dengan penanggung jawab yang jelas dan jadwal pemantauan yang tetap.",
    "Panel mencatat bahwa beberapa rekomendasi tahun sebelumnya pada aksi {a2} ({n2}) belum selesai ditindaklanjuti.",
    "Data pendukung aksi {a2} ({n2}) belum dipilah sampai tingkat desa/kelurahan, sehingga sulit dipakai untuk menentukan sasaran.",
];
const CLOSINGS: [&str; 4] = [
    "Panel berharap rencana tindak lanjut yang disepakati dapat dilaporkan kemajuannya pada penilaian berikutnya.",
    "Bappeda Provinsi akan mendampingi {d} dan mengajak kabupaten/kota dengan nilai tertinggi pada aksi tersebut untuk berbagi praktik baiknya.",
    "Dengan prevalensi {p}% menurut {s}, {d} perlu menjaga agar penurunan stunting berlanjut sampai ke desa yang paling sulit dijangkau.",
    "Praktik baik yang sudah berjalan sebaiknya didokumentasikan agar dapat direplikasi oleh desa lain di {d}.",
];

struct District {
    code: String,
    name: String,
    slug: String,
    kota: bool,
    /// Latent performance 0..1 that drives every score.
    quality: f64,
    /// Prevalence in the first year.
    prevalence: f64,
}

/// One indicator of a year's rubric.
enum Kind {
    Graded,
    Scored(u32),
}

struct Rubric {
    /// Per action (same order as ACTIONS), its indicators' kinds.
    actions: Vec<Vec<Kind>>,
}

struct Args {
    districts: usize,
    years: u32,
    seed: u64,
    force: bool,
    map: bool,
    out: PathBuf,
}

fn parse_args() -> Result<Args, String> {
    let mut districts = None;
    let mut years = None;
    let mut seed = 2024u64;
    let mut force = false;
    let mut map = false;
    let mut out = None;
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .ok_or_else(|| format!("{name} needs a value"))
                .and_then(|v| {
                    v.parse::<u64>()
                        .map_err(|_| format!("{name}: `{v}` is not a whole number"))
                })
        };
        match arg.as_str() {
            "--districts" => districts = Some(value("--districts")?),
            "--years" => years = Some(value("--years")?),
            "--seed" => seed = value("--seed")?,
            "--force" => force = true,
            "--map" => map = true,
            "-h" | "--help" => return Err(String::new()),
            a if a.starts_with('-') => return Err(format!("unknown option `{a}`")),
            a if out.is_none() => out = Some(PathBuf::from(a)),
            a => return Err(format!("unexpected argument `{a}`")),
        }
    }
    let districts = districts.ok_or("--districts is required")?;
    let years = years.ok_or("--years is required")?;
    if !(1..=9999).contains(&districts) {
        return Err("--districts must be from 1 to 9999".into());
    }
    if !(1..=80).contains(&years) {
        return Err("--years must be from 1 to 80".into());
    }
    Ok(Args {
        districts: districts as usize,
        years: years as u32,
        seed,
        force,
        map,
        out: out.ok_or("OUT_DIR is required")?,
    })
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("synth: {e}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let start = Instant::now();
    match generate(&args) {
        Ok(files) => {
            eprintln!(
                "synth: wrote {files} files ({} districts x {} years) into {} in {} ms",
                args.districts,
                args.years,
                args.out.join("content").display(),
                start.elapsed().as_millis()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("synth: {e}");
            ExitCode::FAILURE
        }
    }
}

fn generate(args: &Args) -> Result<usize, String> {
    let content = args.out.join("content");
    if content.exists() {
        if !args.force {
            return Err(format!(
                "{} already exists (pass --force to replace it)",
                content.display()
            ));
        }
        fs::remove_dir_all(&content).map_err(|e| format!("{}: {e}", content.display()))?;
    }
    let mut files = 0usize;
    let mut write = |path: &Path, text: &str| -> Result<(), String> {
        files += 1;
        fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
    };
    mkdir(&content)?;

    let districts = make_districts(args.seed, args.districts);
    write(&content.join("site.yaml"), &site_yaml())?;
    write(&content.join("districts.yaml"), &districts_yaml(&districts))?;
    if args.map {
        write(
            &content.join("map.geojson"),
            &map_geojson(args.seed, &districts),
        )?;
    }

    let mut buf = String::with_capacity(8192);
    for y in 0..args.years {
        let year = FIRST_YEAR + y;
        let dir = content.join(year.to_string());
        let ddir = dir.join("districts");
        mkdir(&ddir)?;
        let rubric = make_rubric(args.seed, year);
        write(&dir.join("rubric.yaml"), &rubric_yaml(&rubric, year))?;

        // About 5% of district-years are not assessed; the first district always is.
        let assessed: Vec<bool> = (0..districts.len())
            .map(|i| {
                i == 0 || Rng::for_key(args.seed, 7, (i as u64) << 16 | y as u64).below(100) >= 5
            })
            .collect();
        write(
            &dir.join("year.yaml"),
            &year_yaml(args.seed, year, &districts, &assessed),
        )?;
        write(
            &dir.join("province.md"),
            &province_md(year, &districts, &assessed),
        )?;

        for (i, d) in districts.iter().enumerate() {
            if !assessed[i] {
                continue;
            }
            let mut rng = Rng::for_key(args.seed, 1 + i as u64, year as u64);
            buf.clear();
            let (best, worst, prevalence) =
                district_yaml(&mut buf, &mut rng, d, &rubric, year, y, y + 1 == args.years);
            write(&ddir.join(format!("{}.yaml", d.slug)), &buf)?;
            buf.clear();
            narrative_md(&mut buf, &mut rng, d, year, best, worst, prevalence);
            write(&ddir.join(format!("{}.md", d.slug)), &buf)?;
        }
    }
    Ok(files)
}

fn mkdir(path: &Path) -> Result<(), String> {
    fs::create_dir_all(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn make_districts(seed: u64, n: usize) -> Vec<District> {
    let names_per_round = PLACE_FIRST.len() * PLACE_SECOND.len();
    (0..n)
        .map(|i| {
            let mut rng = Rng::for_key(seed, 0, i as u64);
            let number = i + 1;
            // Every sixth is a city.
            let kota = number % 6 == 0;
            // Walk the name grid with a stride coprime to its size so neighbours differ.
            let k = (i * 37) % names_per_round;
            let mut place = format!(
                "{} {}{}",
                PLACE_FIRST[k % PLACE_FIRST.len()],
                PLACE_SECOND[k / PLACE_FIRST.len()],
                PLACE_THIRD[(i / names_per_round) % PLACE_THIRD.len()]
            );
            let round = i / (names_per_round * PLACE_THIRD.len());
            if round > 0 {
                let _ = write!(place, " {}", round + 1);
            }
            District {
                code: format!("99.{number:04}"),
                name: format!("{} {place}", if kota { "Kota" } else { "Kabupaten" }),
                slug: format!("{}-{number:04}", if kota { "kota" } else { "kab" }),
                kota,
                quality: 0.3 + 0.6 * rng.unit(),
                prevalence: if kota { 8.0 } else { 14.0 } + 22.0 * rng.unit(),
            }
        })
        .collect()
}

fn make_rubric(seed: u64, year: u32) -> Rubric {
    let mut rng = Rng::for_key(seed, 0xDEAD, year as u64);
    let actions = ACTIONS
        .iter()
        .map(|_| {
            let n = rng.range(2, 4);
            (0..n)
                .map(|_| {
                    if rng.chance(0.5) {
                        Kind::Graded
                    } else {
                        Kind::Scored(rng.range(2, 4))
                    }
                })
                .collect()
        })
        .collect();
    Rubric { actions }
}

fn site_yaml() -> String {
    "# Situs sintetis untuk uji kinerja rapor (examples/synth.rs). Semua data rekaan.\n\
     title: Penilaian Kinerja Aksi Konvergensi Percepatan Penurunan Stunting\n\
     province: { name: Provinsi Nusa Sintesis, code: \"99\" }\n\
     publisher: Bappeda Provinsi Nusa Sintesis\n\
     base_url: https://example.go.id/stunting/\n\
     language: id\n\
     theme: default\n\
     notice: \"Seluruh nama, skor, dan narasi pada situs ini adalah data sintetis untuk uji kinerja, bukan hasil penilaian.\"\n"
        .to_string()
}

/// A grid of regions, one per district, over a few degrees near the
/// equator. Every boundary between two corners has points of its own,
/// jittered by a hash of the boundary so both neighbours get the same ones.
fn map_geojson(seed: u64, districts: &[District]) -> String {
    const BETWEEN: usize = 8;
    let n = districts.len();
    let cols = ((n as f64 * 1.5).sqrt().ceil() as usize).max(1);
    let rows = n.div_ceil(cols);
    let cell = 4.0 / cols as f64;
    let jitter =
        |key: u64| (Rng::for_key(seed, 9, key).below(1000) as f64 / 1000.0 - 0.5) * cell * 0.12;
    let corner = |i: usize, j: usize| -> (f64, f64) {
        let k = ((i as u64) << 20) | j as u64;
        let edge = i == 0 || j == 0 || i == cols || j == rows;
        let (dx, dy) = if edge {
            (0.0, 0.0)
        } else {
            (jitter(k), jitter(k | 1 << 40))
        };
        (119.0 + i as f64 * cell + dx, -2.0 - j as f64 * cell + dy)
    };
    // Points from corner a to corner b (without b); `key` names the boundary.
    let side = |a: (usize, usize), b: (usize, usize), out: &mut Vec<(f64, f64)>| {
        let (pa, pb) = (corner(a.0, a.1), corner(b.0, b.1));
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        let key =
            ((lo.0 as u64) << 48) | ((lo.1 as u64) << 32) | ((hi.0 as u64) << 16) | hi.1 as u64;
        out.push(pa);
        for k in 1..=BETWEEN {
            // Along the boundary from its lower corner, the same for both sides.
            let t = k as f64 / (BETWEEN + 1) as f64;
            let (from, to) = if a <= b { (pa, pb) } else { (pb, pa) };
            let w = jitter(key.wrapping_mul(31).wrapping_add(k as u64));
            let (x, y) = (from.0 + (to.0 - from.0) * t, from.1 + (to.1 - from.1) * t);
            let p = if from.0 == to.0 {
                (x + w, y)
            } else {
                (x, y + w)
            };
            out.push(p);
        }
        if a > b {
            let len = out.len();
            out[len - BETWEEN..].reverse();
        }
    };
    let mut s = String::with_capacity(n * 1200);
    s.push_str("{\"type\":\"FeatureCollection\",\"features\":[\n");
    for (d, district) in districts.iter().enumerate() {
        let (i, j) = (d % cols, d / cols);
        let mut ring = Vec::with_capacity(4 * (BETWEEN + 1) + 1);
        side((i, j), (i + 1, j), &mut ring);
        side((i + 1, j), (i + 1, j + 1), &mut ring);
        side((i + 1, j + 1), (i, j + 1), &mut ring);
        side((i, j + 1), (i, j), &mut ring);
        ring.push(ring[0]);
        let _ = write!(
            s,
            "{}{{\"type\":\"Feature\",\"properties\":{{\"code\":\"{}\"}},\"geometry\":{{\"type\":\"Polygon\",\"coordinates\":[[",
            if d == 0 { "" } else { ",\n" },
            district.code
        );
        for (k, (x, y)) in ring.iter().enumerate() {
            let _ = write!(s, "{}[{x:.5},{y:.5}]", if k == 0 { "" } else { "," });
        }
        s.push_str("]]}}");
    }
    s.push_str("\n]}\n");
    s
}

fn districts_yaml(districts: &[District]) -> String {
    let mut s = String::with_capacity(districts.len() * 96);
    s.push_str("# Kabupaten/kota Provinsi Nusa Sintesis (data sintetis)\n");
    for d in districts {
        let _ = writeln!(
            s,
            "- {{ code: \"{}\", name: {}, slug: {}, kind: {} }}",
            d.code,
            d.name,
            d.slug,
            if d.kota { "kota" } else { "kabupaten" }
        );
    }
    s
}

fn rubric_yaml(rubric: &Rubric, year: u32) -> String {
    let mut s = String::with_capacity(16384);
    let _ = writeln!(
        s,
        "# Rubrik sintetis; bobot dan indikator rekaan.\n\
         title: Penilaian Kinerja 8 Aksi Konvergensi Percepatan Penurunan Stunting Tahun {year}\n\
         components:\n  \
         - {{ key: dokumen, name: Verifikasi dokumen 8 aksi, weight: 60, from: actions }}\n  \
         - {{ key: paparan, name: Paparan kepala daerah, weight: 20 }}\n  \
         - {{ key: lapangan, name: Verifikasi lapangan, weight: 20 }}\n\
         actions:"
    );
    for (k, (action, kinds)) in ACTIONS.iter().zip(&rubric.actions).enumerate() {
        let _ = writeln!(
            s,
            "  - number: {}\n    name: \"{}\"\n    weight: {}\n    indicators:",
            k + 1,
            action.name,
            action.weight
        );
        for (j, kind) in kinds.iter().enumerate() {
            let key = format!("{}.{}", k + 1, j + 1);
            let text = action.indicators[j];
            match kind {
                Kind::Scored(max) => {
                    let _ = writeln!(
                        s,
                        "      - {{ key: \"{key}\", text: \"{text}\", max: {max} }}"
                    );
                }
                Kind::Graded => {
                    let _ = writeln!(
                        s,
                        "      - key: \"{key}\"\n        text: \"{text}\"\n        grades:"
                    );
                    for (g, (letter, gtext)) in GRADES.iter().enumerate() {
                        let _ = writeln!(
                            s,
                            "          - {{ grade: {letter}, value: {}, text: \"{gtext}\" }}",
                            3 - g
                        );
                    }
                }
            }
        }
    }
    s.push_str(
        "categories:\n  \
         - { min: 85, label: Sangat Baik }\n  \
         - { min: 70, label: Baik }\n  \
         - { min: 55, label: Cukup }\n  \
         - { min: 0, label: Kurang }\n\
         tie_break: [dokumen, paparan]\n",
    );
    s
}

fn year_yaml(seed: u64, year: u32, districts: &[District], assessed: &[bool]) -> String {
    let mut rng = Rng::for_key(seed, 0xA5A5, year as u64);
    let mut s = String::new();
    let _ = writeln!(
        s,
        "assessed_in: {}\nplenary: {{ date: {}-06-{:02}, decree: \"SK Gubernur Nusa Sintesis Nomor {}/{}\" }}\nawards:",
        year + 1,
        year + 1,
        rng.range(3, 27),
        rng.range(100, 999),
        year + 1
    );
    let candidates: Vec<usize> = (0..districts.len()).filter(|&i| assessed[i]).collect();
    let titles = [
        (
            "Terinovatif",
            "{d} memadukan data desa dengan rencana kegiatan OPD.",
        ),
        (
            "Terinspiratif",
            "{d} menjangkau balita di desa yang paling sulit dijangkau.",
        ),
        (
            "Ter-replikatif",
            "Praktik baik {d} mudah ditiru kabupaten/kota lain.",
        ),
    ];
    let winners = rng.distinct(candidates.len(), titles.len());
    for (k, (title, why)) in titles.into_iter().enumerate() {
        // Fewer assessed districts than titles: some win twice.
        let d = &districts[candidates[winners[k % winners.len()]]];
        let _ = writeln!(
            s,
            "  - {{ title: {title}, district: {}, reason: \"{}\" }}",
            d.slug,
            why.replace("{d}", &d.name)
        );
    }
    s
}

fn province_md(year: u32, districts: &[District], assessed: &[bool]) -> String {
    let n = assessed.iter().filter(|&&a| a).count();
    let kota = districts.iter().filter(|d| d.kota).count();
    format!(
        "Penilaian kinerja {next} atas pelaksanaan aksi konvergensi tahun {year} mencakup \
         **{n} dari {total}** kabupaten/kota di Provinsi Nusa Sintesis ({kab} kabupaten dan \
         {kota} kota). Tim penilai memverifikasi dokumen 8 aksi, mendengarkan paparan kepala \
         daerah, dan mengunjungi desa lokasi fokus sebelum rapat pleno.\n\n\
         Bobot penilaian adalah verifikasi dokumen 60%, paparan kepala daerah 20%, dan \
         verifikasi lapangan 20%. Nilai akhir dikelompokkan ke dalam empat kategori: Sangat \
         Baik (85 ke atas), Baik (70 sampai di bawah 85), Cukup (55 sampai di bawah 70), dan \
         Kurang (di bawah 55).\n\n\
         Panel mencatat bahwa kesenjangan antarwilayah lebih terlihat pada mutu perencanaan \
         dan sistem data daripada pada pelaksanaan layanan. Pendampingan Bappeda Provinsi \
         pada tahun {next} diprioritaskan bagi kabupaten/kota dengan nilai aksi 2 dan aksi 6 \
         terendah.\n",
        next = year + 1,
        total = districts.len(),
        kab = districts.len() - kota,
    )
}

fn clamp01(x: f64) -> f64 {
    x.clamp(0.0, 1.0)
}

/// Writes one district-year file; returns the best and the weakest action
/// (1-based) and the prevalence with its source, for the narrative.
fn district_yaml(
    s: &mut String,
    rng: &mut Rng,
    d: &District,
    rubric: &Rubric,
    year: u32,
    y: u32,
    last_year: bool,
) -> (usize, usize, (f64, String)) {
    let q = clamp01(d.quality + 0.025 * y as f64);
    let _ = writeln!(
        s,
        "# {}: data penilaian kinerja {year} (sintetis)\nassessed_on: {}-{:02}-{:02}\nindicators:",
        d.name,
        year + 1,
        rng.range(4, 6),
        rng.range(1, 28)
    );
    let mut best = (f64::MIN, 1);
    let mut worst = (f64::MAX, 1);
    for (k, kinds) in rubric.actions.iter().enumerate() {
        // Each action has its own strength around the district's quality.
        let aq = q + 0.3 * (rng.unit() - 0.5);
        let (mut got, mut max) = (0u32, 0u32);
        for (j, kind) in kinds.iter().enumerate() {
            let f = clamp01(aq + 0.4 * (rng.unit() - 0.5));
            match kind {
                Kind::Scored(m) => {
                    let v = (f * *m as f64).round() as u32;
                    got += v;
                    max += m;
                    let _ = writeln!(s, "  \"{}.{}\": {v}", k + 1, j + 1);
                }
                Kind::Graded => {
                    let g = 3 - (f * 3.0).round() as usize;
                    got += 3 - g as u32;
                    max += 3;
                    let _ = writeln!(s, "  \"{}.{}\": {}", k + 1, j + 1, GRADES[g].0);
                }
            }
        }
        let score = got as f64 / max as f64;
        if score > best.0 {
            best = (score, k + 1);
        }
        if score < worst.0 {
            worst = (score, k + 1);
        }
    }
    let component = |rng: &mut Rng| (500.0 + 450.0 * q + 160.0 * (rng.unit() - 0.5)).round() / 10.0;
    let _ = writeln!(
        s,
        "components:\n  paparan: {}\n  lapangan: {}",
        component(rng).min(100.0),
        component(rng).min(100.0)
    );

    let prevalence =
        ((d.prevalence - 1.3 * y as f64 + 2.0 * (rng.unit() - 0.5)).max(2.5) * 10.0).round() / 10.0;
    let source = if year == 2023 {
        "SKI 2023".to_string()
    } else {
        format!("SSGI {year}")
    };
    let _ = writeln!(
        s,
        "prevalence: {{ value: {prevalence}, source: {source} }}\ncoverage:"
    );
    let spesifik = rng.distinct(5, 2);
    let sensitif = 5 + rng.below(4);
    for c in spesifik.into_iter().chain([sensitif]) {
        let (name, kind) = COVERAGE[c];
        let value = ((60.0 + 38.0 * clamp01(q + 0.3 * (rng.unit() - 0.3))) * 10.0).round() / 10.0;
        let _ = writeln!(
            s,
            "  - {{ name: \"{name}\", value: {value}, kind: {kind} }}"
        );
    }
    let _ = writeln!(
        s,
        "budget: {{ amount: {}000000, source: APBD {year} }}",
        rng.range(800, 45_000)
    );

    s.push_str("feedback:\n");
    for k in rng.distinct(ACTIONS.len(), 3) {
        let a = &ACTIONS[k];
        let _ = writeln!(s, "  {}:\n    strengths:", k + 1);
        let n = 1 + rng.below(2);
        for i in rng.distinct(3, n) {
            let _ = writeln!(s, "      - \"{}\"", a.strengths[i]);
        }
        let n = rng.below(3);
        if n == 0 {
            s.push_str("    improvements: []\n");
        } else {
            s.push_str("    improvements:\n");
            for i in rng.distinct(3, n) {
                let _ = writeln!(s, "      - \"{}\"", a.improvements[i]);
            }
        }
    }

    s.push_str("innovations:\n");
    let n = 1 + rng.below(2);
    for i in rng.distinct(INNOVATIONS.len(), n) {
        let (title, actions, summary) = INNOVATIONS[i];
        let list = actions
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        let _ = writeln!(
            s,
            "  - title: \"{title}\"\n    actions: [{list}]\n    summary: \"{} Praktik ini dimulai pada {} dan kini berjalan di {} desa/kelurahan.\"",
            summary.replace("{d}", &d.name),
            year - rng.range(0, 2),
            rng.range(6, 120)
        );
    }

    s.push_str("follow_up:\n");
    let n = 2 + rng.below(2);
    for k in rng.distinct(ACTIONS.len(), n) {
        let status = if last_year {
            *rng.pick(&["planned", "planned", "in_progress"])
        } else {
            *rng.pick(&["done", "done", "in_progress", "planned", "dropped"])
        };
        let _ = writeln!(
            s,
            "  - {{ action: {}, plan: \"{}\", due: \"{}-{:02}\", status: {status} }}",
            k + 1,
            rng.pick(&ACTIONS[k].plans),
            year + 1 + rng.range(0, 1),
            rng.range(1, 12)
        );
    }
    (best.1, worst.1, (prevalence, source))
}

fn fill(
    template: &str,
    d: &District,
    year: u32,
    a1: usize,
    a2: usize,
    p: &(f64, String),
) -> String {
    template
        .replace("{d}", &d.name)
        .replace("{y}", &year.to_string())
        .replace("{a1}", &a1.to_string())
        .replace("{n1}", &short_name(a1))
        .replace("{a2}", &a2.to_string())
        .replace("{n2}", &short_name(a2))
        .replace("{p}", &format!("{}", p.0).replace('.', ","))
        .replace("{s}", &p.1)
}

/// An action's name without its parenthesised abbreviation, for running text.
fn short_name(action: usize) -> String {
    ACTIONS[action - 1].name.replace(" (KPM)", "")
}

fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A narrative of 3-4 paragraphs, about 1.5 KB.
fn narrative_md(
    s: &mut String,
    rng: &mut Rng,
    d: &District,
    year: u32,
    best: usize,
    worst: usize,
    prevalence: (f64, String),
) {
    let f = |t: &str| fill(t, d, year, best, worst, &prevalence);
    let middles = rng.distinct(MIDDLES.len(), 4);
    // Paragraph 1: the opening and two observations.
    let _ = write!(
        s,
        "{} {} {}\n\n",
        f(OPENINGS[rng.below(OPENINGS.len())]),
        MIDDLES[middles[0]],
        MIDDLES[middles[1]]
    );
    // Paragraph 2: what to improve.
    let _ = write!(
        s,
        "{} Nilai **aksi {worst}** menjadi prioritas pendampingan, dan rencana tindak \
         lanjut di bawah ini disepakati bersama TPPS. {}\n\n",
        f(CONCERNS[rng.below(CONCERNS.len())]),
        MIDDLES[middles[2]]
    );
    // Optional paragraph 3: a short list of follow-up themes.
    if rng.chance(0.5) {
        let _ = write!(
            s,
            "Hal yang disepakati dalam pertemuan umpan balik:\n\n\
             - memperkuat {} dengan jadwal pemantauan bulanan;\n\
             - mengundang OPD nonkesehatan ke rapat TPPS;\n\
             - {}.\n\n",
            lower_first(&short_name(worst)),
            lower_first(ACTIONS[rng.below(ACTIONS.len())].plans[rng.below(2)])
        );
    }
    // Last paragraph: the closing.
    let closings = rng.distinct(CLOSINGS.len(), 2);
    let _ = writeln!(
        s,
        "{} {} {}",
        MIDDLES[middles[3]],
        f(CLOSINGS[closings[1]]),
        f(CLOSINGS[closings[0]])
    );
}
