//! Rendering: view models through Tera templates, charts to SVG, open data;
//! every output file is handed to a sink (the publisher's writer).

pub mod archive;
pub mod charts;
mod data;
pub mod incremental;
pub mod pages;
mod share;
pub mod urls;

use std::borrow::Cow;
use std::path::Path;
use std::sync::Mutex;

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};

use crate::content::{DistrictId, Site, YearId};
use crate::error::{Problem, Problems};
use crate::score::YearResults;
use pages::{Ctx, Link};
use urls::Urls;

/// Everything needed to render, prepared once and shared by all threads.
pub struct Renderer<'a> {
    site: &'a Site,
    results: &'a [YearResults],
    urls: Urls,
    tera: Tera,
    /// Per year, district slug → dates of the corrections concerning it.
    corrected: Vec<std::collections::BTreeMap<String, Vec<jiff::civil::Date>>>,
    /// See [`RenderOptions::archives`].
    archives: bool,
    /// The map drawn once for every page that shows it.
    maps: Option<pages::map::Maps>,
    /// Share pictures' fixed parts and the dates printed on pages.
    share: share::Share,
}

/// One output file (or two, for the data of a year) to produce.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Job {
    Home,
    NotFound,
    Year(YearId),
    Practice(YearId),
    District(YearId, DistrictId),
    Region(DistrictId),
    Data(YearId),
}

#[derive(Serialize)]
struct Globals<'a> {
    title: &'a str,
    province: &'a str,
    province_code: &'a str,
    publisher: Option<&'a str>,
    notice: Option<&'a str>,
    language: &'static str,
    root: &'a str,
    stylesheet: String,
    favicon: String,
    /// The theme's script (finding a district, copying a link); pages work without it.
    script: String,
    /// ` lang="id"` when the pages are not in Indonesian: content (names,
    /// indicator texts, narratives) is written in Indonesian and marked so.
    cl: &'static str,
    nav_years: Vec<Link>,
}

/// A file of the site: its path relative to the output folder, `/`-separated.
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Options that change how the site is rendered, not what it says.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// Overrides `base_url` from `site.yaml`.
    pub base_url: Option<String>,
    /// HTML injected before `</body>` on every page (the live-reload script of `serve`).
    pub body_end: Option<String>,
    /// Whether to make each year's offline archive (`arsip/<province>-<year>.zip`)
    /// and link it from the year page: `build` does; `check` and `serve` do not.
    pub archives: bool,
    /// Whether to draw the share pictures (`og.png`) when `share.images` is
    /// on: `build` and `serve` do; `check` names them in the head tags, as
    /// a build would, but draws none, since nothing is written.
    pub pictures: bool,
}

/// A template error as a problem at `themes/<theme>/templates/<file>:line:column`.
fn tera_problem(theme: &str, template: Option<&str>, err: &tera::Error) -> Problem {
    let hint = "fix the template; see the Tera 2 documentation";
    match err.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            let span = report.span();
            Problem::new(
                format!("themes/{theme}/templates/{}", report.filename()),
                report.message().replace('\n', " "),
            )
            .at(span.start_line as u64, span.start_col as u64 + 1)
            .hint(hint)
        }
        _ => {
            // Tera's own message with its chain of causes, on one line.
            let mut message = err.to_string();
            let mut source = std::error::Error::source(err);
            while let Some(s) = source {
                message.push_str(": ");
                message.push_str(&s.to_string());
                source = s.source();
            }
            let file = format!("themes/{theme}/templates/{}", template.unwrap_or(""));
            Problem::new(file.trim_end_matches('/'), message.replace('\n', " ")).hint(hint)
        }
    }
}

impl<'a> Renderer<'a> {
    pub fn new(
        site: &'a Site,
        results: &'a [YearResults],
        options: &RenderOptions,
    ) -> Result<Self, Problems> {
        let config = &site.config;
        let theme = &site.theme;
        let urls = Urls::new(options.base_url.as_deref().unwrap_or(&config.base_url));
        let mut tera = Tera::new();
        tera.add_raw_templates(
            theme
                .templates
                .iter()
                .map(|(n, s)| (n.as_str(), s.as_str())),
        )
        .map_err(|e| tera_problem(&config.theme, None, &e))?;
        let globals = Globals {
            title: &config.title,
            province: &config.province.name,
            province_code: &config.province.code,
            publisher: config.publisher.as_deref(),
            notice: config.notice.as_deref(),
            language: config.language.code(),
            root: &urls.root,
            stylesheet: urls.asset("style.css"),
            favicon: urls.asset("favicon.svg"),
            script: urls.asset("rapor.js"),
            cl: if config.language.code() == "id" {
                ""
            } else {
                " lang=\"id\""
            },
            nav_years: site
                .years
                .iter()
                .rev()
                .map(|y| Link {
                    href: urls.year(y.year),
                    label: y.year.to_string(),
                })
                .collect(),
        };
        let global = tera.global_context();
        global.insert("site", &globals);
        global.insert("t", &theme.translations);
        global.insert("body_end", &options.body_end.clone().unwrap_or_default());
        let corrected = pages::corrected_dates(site);
        let maps = site.map.as_ref().map(pages::map::Maps::new);
        let share = share::Share::new(
            &Ctx {
                site,
                results,
                urls: &urls,
                t: &theme.translations,
                corrected: &corrected,
                maps: maps.as_ref(),
            },
            options.pictures,
        );
        Ok(Renderer {
            site,
            results,
            urls,
            tera,
            corrected,
            archives: options.archives,
            maps,
            share,
        })
    }

    fn ctx(&self) -> Ctx<'_> {
        Ctx {
            site: self.site,
            results: self.results,
            urls: &self.urls,
            t: &self.site.theme.translations,
            corrected: &self.corrected,
            maps: self.maps.as_ref(),
        }
    }

    fn jobs(&self) -> Vec<Job> {
        let mut jobs = vec![Job::Home, Job::NotFound];
        for y in self.site.year_ids() {
            jobs.push(Job::Year(y));
            jobs.push(Job::Practice(y));
            jobs.push(Job::Data(y));
            jobs.extend(self.site.district_ids().map(|d| Job::District(y, d)));
        }
        jobs.extend(self.site.district_ids().map(Job::Region));
        jobs
    }

    fn page<T: Serialize>(
        &self,
        template: &str,
        view: &T,
        path: String,
        head: &share::Head,
    ) -> Result<OutputFile, Problem> {
        let theme = &self.site.config.theme;
        let mut context =
            Context::from_serialize(view).map_err(|e| tera_problem(theme, Some(template), &e))?;
        context.insert("share", head);
        let html = self
            .tera
            .render(template, &context)
            .map_err(|e| tera_problem(theme, Some(template), &e))?;
        Ok(OutputFile {
            path,
            bytes: html.into_bytes(),
        })
    }

    /// The head of a page with no description of its own, titled `title`.
    fn plain_head(&self, cx: &Ctx, title: &str) -> share::Head {
        let config = &self.site.config;
        let description = format!("{title} · {} · {}", config.title, config.province.name);
        self.share.plain_head(cx, description)
    }

    fn render_job(&self, job: Job) -> Result<Vec<OutputFile>, Problem> {
        let cx = self.ctx();
        match job {
            Job::Home => {
                let head = self.share.home_head(&cx);
                let path = self.urls.file(&self.urls.home());
                Ok(vec![self.page(
                    "home.html",
                    &pages::home_page(&cx),
                    path,
                    &head,
                )?])
            }
            Job::NotFound => {
                let view = pages::Layout {
                    title: cx.tr("not_found"),
                    canonical: self.urls.absolute("404.html"),
                    crumbs: vec![],
                };
                let head = self.share.finding_head(&cx, cx.tr("not_found_text"));
                let path = self.urls.file(&self.urls.asset("404.html"));
                let view = serde_json::json!({ "layout": view });
                Ok(vec![self.page("404.html", &view, path, &head)?])
            }
            // Without its archive link: with archives, `render_all` makes
            // the year page with its archive (see `year_and_archive`).
            Job::Year(y) => {
                let year = self.site.year(y).year;
                let path = self.urls.file(&self.urls.year(year));
                let head = self.share.year_head(&cx, y);
                let mut files =
                    vec![self.page("year.html", &pages::year_page(&cx, y), path, &head)?];
                files.extend(self.share.year_image(&cx, y));
                Ok(files)
            }
            Job::Practice(y) => {
                let view = pages::practice_page(&cx, y);
                let path = self.urls.file(&self.urls.practice(self.site.year(y).year));
                let head = self.plain_head(&cx, &view.layout.title);
                Ok(vec![self.page("praktik_baik.html", &view, path, &head)?])
            }
            Job::District(y, d) => self.district_files(&cx, y, d),
            Job::Region(d) => {
                let view = pages::region_page(&cx, d);
                let path = self
                    .urls
                    .file(&self.urls.region(&self.site.district(d).slug));
                let head = self.plain_head(&cx, &view.layout.title);
                Ok(vec![self.page("wilayah.html", &view, path, &head)?])
            }
            Job::Data(y) => Ok(self.data_files(y)),
        }
    }

    /// A district's page of a year (or its "not assessed" page) and its share image.
    fn district_files(
        &self,
        cx: &Ctx,
        y: YearId,
        d: DistrictId,
    ) -> Result<Vec<OutputFile>, Problem> {
        let slug = &self.site.district(d).slug;
        let path = self
            .urls
            .file(&self.urls.district(self.site.year(y).year, slug));
        let mut files = match pages::district_page(cx, y, d) {
            Some(view) => {
                let head = self.share.district_head(cx, y, d, view.description.clone());
                vec![self.page("district.html", &view, path, &head)?]
            }
            None => {
                let view = pages::not_assessed_page(cx, y, d);
                let head = self.share.district_head(cx, y, d, view.text.clone());
                vec![self.page("not_assessed.html", &view, path, &head)?]
            }
        };
        files.extend(self.share.district_image(cx, y, d));
        Ok(files)
    }

    /// A year's open data, JSON and CSV.
    fn data_files(&self, y: YearId) -> Vec<OutputFile> {
        let (json, csv) = data::year_data(self.site, y, &self.results[y.0]);
        let year = self.site.year(y).year;
        let mut text = serde_json::to_string_pretty(&json).unwrap_or_default();
        text.push('\n');
        vec![
            OutputFile {
                path: self.urls.file(&self.urls.data(year, "json")),
                bytes: text.into_bytes(),
            },
            OutputFile {
                path: self.urls.file(&self.urls.data(year, "csv")),
                bytes: csv.into_bytes(),
            },
        ]
    }

    /// Renders `jobs` in parallel and hands each file to `sink`.
    pub fn render_jobs(
        &self,
        jobs: &[Job],
        sink: &(dyn Fn(OutputFile) + Sync),
    ) -> Result<(), Problems> {
        let failures: Vec<Problem> = jobs
            .par_iter()
            .filter_map(|&job| match self.render_job(job) {
                Ok(files) => {
                    files.into_iter().for_each(sink);
                    None
                }
                Err(p) => Some(p),
            })
            .collect();
        if failures.is_empty() {
            return Ok(());
        }
        let mut problems = Problems::default();
        // One broken template fails every page; report each template once.
        let mut seen = std::collections::HashSet::new();
        for p in failures {
            if seen.insert(p.to_string()) {
                problems.push(p);
            }
        }
        Err(problems.sorted())
    }

    /// Renders every page in parallel and hands each file to `sink`, then the
    /// static files and the sitemap. Returns the number of HTML pages.
    ///
    /// With archives, a year's files are rendered together and copied into
    /// its archive as they are made (only one year's copies are held at a
    /// time); the year page, which links to the archive with its size, comes
    /// last, rendered once for inside the archive and once for the site.
    pub fn render_all(&self, sink: &(dyn Fn(OutputFile) + Sync)) -> Result<usize, Problems> {
        if !self.archives {
            self.render_jobs(&self.jobs(), sink)?;
            for y in self.site.year_ids() {
                for file in self.media(y)? {
                    sink(file);
                }
            }
        } else {
            let (years, others): (Vec<Job>, Vec<Job>) = self
                .jobs()
                .into_iter()
                .partition(|j| self.year_of_job(*j).is_some());
            self.render_jobs(&others, sink)?;
            for y in self.site.year_ids() {
                let mut entries = self.render_year(y, &years, sink)?;
                for file in self.media(y)? {
                    entries.push(self.archive_entry(y, &file.path, &file.bytes));
                    sink(file);
                }
                for file in self.year_and_archive(y, entries)? {
                    sink(file);
                }
            }
        }
        for (path, bytes) in &self.site.theme.statics {
            sink(OutputFile {
                path: path.clone(),
                bytes: bytes.clone(),
            });
        }
        if let Some(maps) = &self.maps {
            sink(OutputFile {
                path: pages::map::LOCATOR_BASE.into(),
                bytes: maps.small_base.clone().into_bytes(),
            });
        }
        let html_pages: Vec<String> = self.html_pages();
        sink(OutputFile {
            path: "sitemap.xml".into(),
            bytes: data::sitemap(&self.urls, &html_pages).into_bytes(),
        });
        Ok(html_pages.len() + 1)
    }

    /// Renders only `jobs`, for a rebuild whose other files are those the
    /// previous build published (`previous`, every path but the manifest):
    /// hands each rendered file to `sink` and the path of each file to keep
    /// as it is to `keep`. A year with a page rendered again gets its archive
    /// made anew, from the rendered files and the previous ones (`read`).
    /// Returns the number of HTML pages of the site.
    pub fn render_update(
        &self,
        jobs: &[Job],
        previous: &[String],
        read: &(dyn Fn(&str) -> std::io::Result<Vec<u8>> + Sync),
        sink: &(dyn Fn(OutputFile) + Sync),
        keep: &(dyn Fn(String) + Sync),
    ) -> Result<usize, Problems> {
        let rendered: Mutex<std::collections::HashSet<String>> = Mutex::default();
        let record = |file: OutputFile| {
            if let Ok(mut rendered) = rendered.lock() {
                rendered.insert(file.path.clone());
            }
            sink(file);
        };
        if !self.archives {
            self.render_jobs(jobs, &record)?;
        } else {
            let years: std::collections::BTreeSet<YearId> =
                jobs.iter().filter_map(|j| self.year_of_job(*j)).collect();
            let others: Vec<Job> = jobs
                .iter()
                .copied()
                .filter(|j| self.year_of_job(*j).is_none())
                .collect();
            self.render_jobs(&others, &record)?;
            for y in years {
                let mut entries = self.render_year(y, jobs, &record)?;
                let page = self.urls.file(&self.urls.year(self.site.year(y).year));
                let done = rendered.lock().map(|r| r.clone()).unwrap_or_default();
                let kept: Vec<&String> = previous
                    .iter()
                    .filter(|p| self.archive_of(p) == Some(y) && **p != page && !done.contains(*p))
                    .collect();
                let from_before: Vec<Result<archive::Entry, Problem>> = kept
                    .par_iter()
                    .map(|path| {
                        let bytes = read(path).map_err(|e| {
                            Problem::new(
                                format!("{path} (previous site)"),
                                format!("cannot be read: {e}"),
                            )
                        })?;
                        Ok(self.archive_entry(y, path, &bytes))
                    })
                    .collect();
                for entry in from_before {
                    entries.push(entry?);
                }
                for file in self.year_and_archive(y, entries)? {
                    record(file);
                }
            }
        }
        let rendered = rendered.into_inner().unwrap_or_default();
        for path in previous {
            if !rendered.contains(path) {
                keep(path.clone());
            }
        }
        Ok(self.html_pages().len() + 1)
    }

    /// Renders those of `jobs` that make year `y`'s files but its year page
    /// (made with the archive), handing each file to `sink`; returns their
    /// entries in the year's archive.
    fn render_year(
        &self,
        y: YearId,
        jobs: &[Job],
        sink: &(dyn Fn(OutputFile) + Sync),
    ) -> Result<Vec<archive::Entry>, Problems> {
        let jobs: Vec<Job> = jobs
            .iter()
            .copied()
            .filter(|j| self.year_of_job(*j) == Some(y) && !matches!(j, Job::Year(_)))
            .collect();
        let entries: Mutex<Vec<archive::Entry>> = Mutex::default();
        self.render_jobs(&jobs, &|file| {
            if self.archive_of(&file.path) == Some(y) {
                let entry = self.archive_entry(y, &file.path, &file.bytes);
                if let Ok(mut entries) = entries.lock() {
                    entries.push(entry);
                }
            }
            sink(file);
        })?;
        Ok(entries.into_inner().unwrap_or_default())
    }

    /// The year (index) whose pages `job` makes, if it makes a year's files.
    fn year_of_job(&self, job: Job) -> Option<YearId> {
        match job {
            Job::Year(y) | Job::Practice(y) | Job::Data(y) | Job::District(y, _) => Some(y),
            Job::Home | Job::NotFound | Job::Region(_) => None,
        }
    }

    /// The media files of year `y`, read from the content.
    fn media(&self, y: YearId) -> Result<Vec<OutputFile>, Problems> {
        let year = self.site.year(y);
        let mut files = Vec::with_capacity(year.media.len());
        for media in &year.media {
            let rel = Path::new("content").join(year.year.to_string()).join(media);
            let bytes = std::fs::read(self.site.root.join(&rel))
                .map_err(|e| Problem::new(&rel, format!("cannot be read: {e}")))?;
            let path = format!(
                "{}/{}",
                year.year,
                media.to_string_lossy().replace('\\', "/")
            );
            files.push(OutputFile { path, bytes });
        }
        Ok(files)
    }

    /// The year (index) whose archive holds the output file at `path`:
    /// `<year>/…` (pages and media, not share pictures) and `data/<year>.json`, `.csv`.
    pub fn archive_of(&self, path: &str) -> Option<YearId> {
        if share::is_image(path) {
            return None;
        }
        let (first, rest) = path.split_once('/')?;
        let year = match first {
            "data" => rest.rsplit_once('.')?.0,
            _ => first,
        };
        if year.is_empty() || year.starts_with('0') || !year.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let year: i32 = year.parse().ok()?;
        self.site.year_id(year)
    }

    /// The entry of the output file `path` (with `bytes`) in the archive of
    /// year `y`: HTML with its links made to work from disk (see
    /// [`archive`]), anything else as it is.
    pub fn archive_entry(&self, y: YearId, path: &str, bytes: &[u8]) -> archive::Entry {
        if !path.ends_with(".html") {
            return archive::Entry::new(path, bytes.to_vec());
        }
        // Valid UTF-8 (the renderer made it), checked fast.
        let html = match std::str::from_utf8(bytes) {
            Ok(html) => Cow::Borrowed(html),
            Err(_) => String::from_utf8_lossy(bytes),
        };
        let inside = |target: &str| {
            self.archive_of(target) == Some(y)
                || self.site.theme.statics.iter().any(|(p, _)| p == target)
                || (self.maps.is_some() && target == pages::map::LOCATOR_BASE)
        };
        let html =
            archive::relative_links(&html, path, &self.urls.root, &self.urls.absolute, &inside);
        archive::Entry::new(path, html.into_bytes())
    }

    /// Renders the year page `y` for its archive, makes the archive of it,
    /// `entries` (the year's other pages, data and media) and the static
    /// files; returns the year page linking to the archive, and the archive.
    pub fn year_and_archive(
        &self,
        y: YearId,
        mut entries: Vec<archive::Entry>,
    ) -> Result<Vec<OutputFile>, Problem> {
        let year = self.site.year(y);
        let page_path = self.urls.file(&self.urls.year(year.year));
        let cx = self.ctx();
        let mut view = pages::year_page(&cx, y);
        let head = self.share.year_head(&cx, y);
        let offline = self.page("year.html", &view, page_path.clone(), &head)?;
        entries.push(self.archive_entry(y, &page_path, &offline.bytes));
        for (path, bytes) in &self.site.theme.statics {
            entries.push(archive::Entry::new(path, bytes.clone()));
        }
        if let Some(maps) = &self.maps {
            let base = maps.small_base.clone().into_bytes();
            entries.push(archive::Entry::new(pages::map::LOCATOR_BASE, base));
        }
        let name = archive::name(&self.site.config.province.name, year.year);
        let bytes = archive::zip(&name, year_date(year), entries)
            .map_err(|e| Problem::new(format!("{}/{name}.zip", archive::FOLDER), e))?;
        let zip_path = format!("{}/{name}.zip", archive::FOLDER);
        view.archive = Some(pages::ArchiveLink {
            href: self.urls.asset(&zip_path),
            size: archive::size_label(bytes.len(), pages::separators(self.site.config.language)),
        });
        let mut files = vec![
            self.page("year.html", &view, page_path, &head)?,
            OutputFile {
                path: zip_path,
                bytes,
            },
        ];
        files.extend(self.share.year_image(&cx, y));
        Ok(files)
    }

    /// Addresses of every HTML page but the 404, in a stable order.
    fn html_pages(&self) -> Vec<String> {
        let u = &self.urls;
        let mut pages = vec![u.home()];
        for y in &self.site.years {
            pages.push(u.year(y.year));
            pages.push(u.practice(y.year));
            pages.extend(
                self.site
                    .districts
                    .iter()
                    .map(|d| u.district(y.year, &d.slug)),
            );
        }
        pages.extend(self.site.districts.iter().map(|d| u.region(&d.slug)));
        pages
    }
}

/// What a year's data is as of: its plenary's date, else the latest
/// assessment date of its districts.
pub(crate) fn year_date(year: &crate::content::Year) -> Option<String> {
    let plenary = year.meta.plenary.as_ref().and_then(|p| p.date);
    plenary
        .or_else(|| {
            year.entries
                .iter()
                .flatten()
                .filter_map(|e| e.assessed_on)
                .max()
        })
        .map(|d| d.to_string())
}
