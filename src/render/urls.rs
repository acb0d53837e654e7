//! Addresses of every page (SPEC §5), honouring the sub-path of `base_url`,
//! and the output file that answers each: the one place that knows where
//! pages and files live.

/// Builds addresses. `root` is the path part of the base URL (`/stunting/`),
/// used for links so the site works on any host; `absolute` is the full
/// base URL, used for the sitemap and canonical links.
#[derive(Debug, Clone)]
pub struct Urls {
    pub root: String,
    pub absolute: String,
}

impl Urls {
    pub fn new(base_url: &str) -> Urls {
        let mut absolute = base_url.trim().to_string();
        if !absolute.ends_with('/') {
            absolute.push('/');
        }
        let root = match absolute.find("://") {
            Some(i) => match absolute[i + 3..].find('/') {
                Some(j) => absolute[i + 3 + j..].to_string(),
                None => "/".to_string(),
            },
            None => absolute.clone(),
        };
        Urls { root, absolute }
    }

    pub fn home(&self) -> String {
        self.root.clone()
    }

    pub fn year(&self, year: i32) -> String {
        format!("{}{year}/", self.root)
    }

    pub fn district(&self, year: i32, slug: &str) -> String {
        format!("{}{year}/{slug}/", self.root)
    }

    pub fn practice(&self, year: i32) -> String {
        format!("{}{year}/praktik-baik/", self.root)
    }

    pub fn practice_action(&self, year: i32, action: u32) -> String {
        format!("{}#aksi-{action}", self.practice(year))
    }

    pub fn region(&self, slug: &str) -> String {
        format!("{}wilayah/{slug}/", self.root)
    }

    pub fn data(&self, year: i32, ext: &str) -> String {
        format!("{}data/{year}.{ext}", self.root)
    }

    /// The share picture of the page at `page` (an address from above).
    pub fn share_image(&self, page: &str) -> String {
        format!("{page}og.png")
    }

    pub fn asset(&self, path: &str) -> String {
        format!("{}{path}", self.root)
    }

    /// The output file, relative to the output folder, that answers
    /// `address` (as returned above): `2023/buleleng/index.html`, `data/2023.json`.
    pub fn file(&self, address: &str) -> String {
        let rel = address.strip_prefix(&self.root).unwrap_or(address);
        if rel.is_empty() || rel.ends_with('/') {
            format!("{rel}index.html")
        } else {
            rel.to_string()
        }
    }

    /// The full address of a root-relative `path` (as returned above).
    pub fn absolute(&self, path: &str) -> String {
        let rest = path
            .strip_prefix(&self.root)
            .unwrap_or(path.trim_start_matches('/'));
        format!("{}{rest}", self.absolute)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sub_paths_are_kept() {
        let u = Urls::new("https://example.go.id/stunting");
        assert_eq!(u.root, "/stunting/");
        assert_eq!(u.district(2023, "buleleng"), "/stunting/2023/buleleng/");
        assert_eq!(
            u.absolute(&u.region("badung")),
            "https://example.go.id/stunting/wilayah/badung/"
        );
        let u = Urls::new("https://example.go.id");
        assert_eq!(u.root, "/");
        assert_eq!(u.practice_action(2022, 5), "/2022/praktik-baik/#aksi-5");
        assert_eq!(Urls::new("/").root, "/");
        let u = Urls::new("https://example.go.id/stunting/");
        assert_eq!(u.file(&u.home()), "index.html");
        assert_eq!(
            u.file(&u.district(2023, "buleleng")),
            "2023/buleleng/index.html"
        );
        assert_eq!(u.file(&u.data(2023, "csv")), "data/2023.csv");
        assert_eq!(u.file(&u.asset("404.html")), "404.html");
    }
}
