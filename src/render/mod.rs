//! Rendering: view models through Tera templates, charts to SVG, open data;
//! every output file is handed to a sink (the publisher's writer).

pub mod charts;
mod data;
pub mod incremental;
pub mod pages;
mod theme;
pub mod urls;

use std::path::Path;

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};

use crate::content::Site;
use crate::error::{Problem, Problems};
use crate::publish::OutputFile;
use crate::score::YearResults;
use pages::{Ctx, Link};
pub use theme::Theme;
use urls::Urls;

/// Everything needed to render, prepared once and shared by all threads.
pub struct Renderer<'a> {
    site: &'a Site,
    results: &'a [YearResults],
    urls: Urls,
    theme: Theme,
    tera: Tera,
    /// Per year, district slug → dates of the corrections concerning it.
    corrected: Vec<std::collections::BTreeMap<String, Vec<String>>>,
    /// The map drawn once for every page that shows it.
    maps: Option<pages::map::Maps>,
}

/// One output file (or two, for the data of a year) to produce.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Job {
    Home,
    NotFound,
    Year(usize),
    Practice(usize),
    District(usize, usize),
    Region(usize),
    Data(usize),
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
    nav_years: Vec<Link>,
}

/// Options that change how the site is rendered, not what it says.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// Overrides `base_url` from `site.yaml`.
    pub base_url: Option<String>,
    /// HTML injected before `</body>` on every page (the live-reload script of `serve`).
    pub body_end: Option<String>,
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
        let theme = Theme::load(&site.root, &config.theme, config.language.code())?;
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
        Ok(Renderer {
            site,
            results,
            urls,
            theme,
            tera,
            corrected: pages::corrected_dates(site),
            maps: site.map.as_ref().map(pages::map::Maps::new),
        })
    }

    fn ctx(&self) -> Ctx<'_> {
        Ctx {
            site: self.site,
            results: self.results,
            urls: &self.urls,
            t: &self.theme.translations,
            corrected: &self.corrected,
            maps: self.maps.as_ref(),
        }
    }

    fn jobs(&self) -> Vec<Job> {
        let mut jobs = vec![Job::Home, Job::NotFound];
        for yi in 0..self.site.years.len() {
            jobs.push(Job::Year(yi));
            jobs.push(Job::Practice(yi));
            jobs.push(Job::Data(yi));
            jobs.extend((0..self.site.districts.len()).map(|d| Job::District(yi, d)));
        }
        jobs.extend((0..self.site.districts.len()).map(Job::Region));
        jobs
    }

    fn page<T: Serialize>(
        &self,
        template: &str,
        view: &T,
        path: String,
    ) -> Result<OutputFile, Problem> {
        let theme = &self.site.config.theme;
        let context =
            Context::from_serialize(view).map_err(|e| tera_problem(theme, Some(template), &e))?;
        let html = self
            .tera
            .render(template, &context)
            .map_err(|e| tera_problem(theme, Some(template), &e))?;
        Ok(OutputFile {
            path,
            bytes: html.into_bytes(),
        })
    }

    fn render_job(&self, job: Job) -> Result<Vec<OutputFile>, Problem> {
        let cx = self.ctx();
        let years = &self.site.years;
        Ok(match job {
            Job::Home => {
                vec![self.page("home.html", &pages::home_page(&cx), "index.html".into())?]
            }
            Job::NotFound => {
                let view = pages::Layout {
                    title: cx.tr("not_found"),
                    canonical: self.urls.absolute("404.html"),
                    crumbs: vec![],
                };
                vec![self.page(
                    "404.html",
                    &serde_json::json!({ "layout": view }),
                    "404.html".into(),
                )?]
            }
            Job::Year(yi) => {
                vec![self.page(
                    "year.html",
                    &pages::year_page(&cx, yi),
                    format!("{}/index.html", years[yi].year),
                )?]
            }
            Job::Practice(yi) => vec![self.page(
                "praktik_baik.html",
                &pages::practice_page(&cx, yi),
                format!("{}/praktik-baik/index.html", years[yi].year),
            )?],
            Job::District(yi, d) => {
                let path = format!(
                    "{}/{}/index.html",
                    years[yi].year, self.site.districts[d].slug
                );
                match pages::district_page(&cx, yi, d) {
                    Some(view) => vec![self.page("district.html", &view, path)?],
                    None => vec![self.page(
                        "not_assessed.html",
                        &pages::not_assessed_page(&cx, yi, d),
                        path,
                    )?],
                }
            }
            Job::Region(d) => vec![self.page(
                "wilayah.html",
                &pages::region_page(&cx, d),
                format!("wilayah/{}/index.html", self.site.districts[d].slug),
            )?],
            Job::Data(yi) => {
                let json = data::year_json(self.site, yi, &self.results[yi]);
                let csv = data::year_csv(self.site, yi, &json);
                let year = years[yi].year;
                let mut text = serde_json::to_string_pretty(&json).unwrap_or_default();
                text.push('\n');
                vec![
                    OutputFile {
                        path: format!("data/{year}.json"),
                        bytes: text.into_bytes(),
                    },
                    OutputFile {
                        path: format!("data/{year}.csv"),
                        bytes: csv.into_bytes(),
                    },
                ]
            }
        })
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
    /// static files, the media and the sitemap. Returns the number of HTML pages.
    pub fn render_all(&self, sink: &(dyn Fn(OutputFile) + Sync)) -> Result<usize, Problems> {
        self.render_jobs(&self.jobs(), sink)?;
        for (path, bytes) in &self.theme.statics {
            sink(OutputFile {
                path: path.clone(),
                bytes: bytes.clone(),
            });
        }
        for year in &self.site.years {
            for media in &year.media {
                let rel = Path::new("content").join(year.year.to_string()).join(media);
                let bytes = std::fs::read(self.site.root.join(&rel))
                    .map_err(|e| Problem::new(&rel, format!("cannot be read: {e}")))?;
                let path = format!(
                    "{}/{}",
                    year.year,
                    media.to_string_lossy().replace('\\', "/")
                );
                sink(OutputFile { path, bytes });
            }
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
