//! Write: feeds and sitemap, then every artifact into a staging directory that is swapped in
//! whole, so that a failed or killed build never leaves a half-written output directory.
//!
//! In: `Artifact`s. Out: files on disk. Files whose bytes did not change since the last build
//! are hard-linked from the old output instead of written again.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::markdown::{escape_attr, escape_text};
use crate::render::{Artifact, ArtifactContent, bytes_artifact};
use crate::site::{PageKind, Site};

/// `atom.xml`, `sitemap.xml` and `robots.txt`, as the config asks.
pub fn feeds(site: &Site) -> Vec<Artifact> {
    let mut out = Vec::new();
    let c = &site.config;
    if c.feed {
        let mut dated: Vec<usize> = (0..site.docs.len())
            .filter(|&d| !site.docs[d].is_section && site.docs[d].front.date.is_some())
            .collect();
        dated.sort_by(|&a, &b| {
            let (da, db) = (&site.docs[a].front, &site.docs[b].front);
            db.date
                .cmp(&da.date)
                .then(site.docs[a].rel.cmp(&site.docs[b].rel))
        });
        dated.truncate(50);
        let updated = dated
            .iter()
            .filter_map(|&d| site.docs[d].front.updated.or(site.docs[d].front.date))
            .max()
            .map(|d| d.rfc3339())
            .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
        let mut xml = format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n<title>{}</title>\n<subtitle>{}</subtitle>\n<link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n<id>{}</id>\n<updated>{updated}</updated>\n",
            escape_attr(&c.language),
            escape_text(&c.title),
            escape_text(&c.description),
            escape_attr(&site.absolute_url("atom.xml")),
            escape_attr(&c.base_url),
            escape_text(&c.base_url),
        );
        if let Some(author) = &c.author {
            xml.push_str(&format!(
                "<author><name>{}</name></author>\n",
                escape_text(author)
            ));
        }
        for d in dated {
            let doc = &site.docs[d];
            let url = site.absolute_url(&site.doc_paths[d]);
            let date = doc.front.date.map(|x| x.rfc3339()).unwrap_or_default();
            let updated = doc
                .front
                .updated
                .map(|x| x.rfc3339())
                .unwrap_or_else(|| date.clone());
            xml.push_str(&format!(
                "<entry>\n<title>{}</title>\n<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n<id>{}</id>\n<published>{date}</published>\n<updated>{updated}</updated>\n",
                escape_text(doc.front.title.as_deref().unwrap_or(doc.stem())),
                escape_attr(&url),
                escape_text(&url)
            ));
            if let Some(desc) = &doc.front.description {
                xml.push_str(&format!("<summary>{}</summary>\n", escape_text(desc)));
            }
            xml.push_str("</entry>\n");
        }
        xml.push_str("</feed>\n");
        out.push(bytes_artifact("atom.xml".into(), xml));
    }
    if c.sitemap {
        let mut xml = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
        );
        let mut entries: Vec<(String, Option<String>)> = site
            .pages
            .iter()
            .filter(|p| !matches!(p.kind, PageKind::Redirect(_) | PageKind::NotFound))
            .map(|p| {
                let lastmod = match p.kind {
                    PageKind::Doc(d) => site.docs[d]
                        .front
                        .updated
                        .or(site.docs[d].front.date)
                        .map(|x| x.to_string())
                        .filter(|s| s.len() == 10),
                    _ => None,
                };
                (site.absolute_url(&p.path), lastmod)
            })
            .collect();
        entries.sort();
        for (loc, lastmod) in entries {
            xml.push_str("<url><loc>");
            xml.push_str(&escape_text(&loc));
            xml.push_str("</loc>");
            if let Some(l) = lastmod {
                xml.push_str(&format!("<lastmod>{l}</lastmod>"));
            }
            xml.push_str("</url>\n");
        }
        xml.push_str("</urlset>\n");
        out.push(bytes_artifact("sitemap.xml".into(), xml));
    }
    let mut robots = String::from("User-agent: *\nAllow: /\n");
    if c.sitemap {
        robots.push_str(&format!("Sitemap: {}\n", site.absolute_url("sitemap.xml")));
    }
    out.push(bytes_artifact("robots.txt".into(), robots));
    out
}

/// Static files and the built-in theme assets (a static file of the same name wins).
pub fn static_artifacts(files: &[crate::source::FoundFile]) -> Vec<Artifact> {
    let mut out: Vec<Artifact> = files
        .iter()
        .map(|f| Artifact {
            path: f.rel.clone(),
            content: ArtifactContent::Copy(f.disk.clone()),
            page: None,
        })
        .collect();
    for (name, text) in crate::render::BUILTIN_ASSETS {
        if !files.iter().any(|f| f.rel == *name) {
            out.push(bytes_artifact((*name).to_string(), (*text).to_string()));
        }
    }
    out
}

/// How a write went.
#[derive(Debug, Default, Clone, Copy)]
pub struct WriteStats {
    pub written: usize,
    pub unchanged: usize,
}

/// Writes every artifact into a staging directory beside `out_dir`, then swaps it in.
/// On error nothing at `out_dir` has changed.
pub fn write_site(out_dir: &Path, artifacts: &[Artifact]) -> io::Result<WriteStats> {
    let parent = out_dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(parent)?;
    let name = out_dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    clean_leftovers(parent, &name);
    let staging = parent.join(format!(".{name}.staging-{}", std::process::id()));
    let _ = fs::remove_dir_all(&staging);
    fs::create_dir_all(&staging)?;
    let result = fill(&staging, out_dir, artifacts);
    let stats = match result {
        Ok(s) => s,
        Err(e) => {
            let _ = fs::remove_dir_all(&staging);
            return Err(e);
        }
    };
    // Swap: move the old tree aside, the new one in, then delete the old one.
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    let had_old = out_dir.exists();
    if had_old {
        fs::rename(out_dir, &old)?;
    }
    if let Err(e) = fs::rename(&staging, out_dir) {
        if had_old {
            let _ = fs::rename(&old, out_dir);
        }
        let _ = fs::remove_dir_all(&staging);
        return Err(e);
    }
    if had_old {
        let _ = fs::remove_dir_all(&old);
    }
    Ok(stats)
}

/// Removes staging or old trees left by a build that was killed.
fn clean_leftovers(parent: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let prefixes = [format!(".{name}.staging-"), format!(".{name}.old-")];
    for e in entries.flatten() {
        let n = e.file_name().to_string_lossy().into_owned();
        if prefixes.iter().any(|p| n.starts_with(p)) {
            let _ = fs::remove_dir_all(e.path());
        }
    }
}

fn fill(staging: &Path, previous: &Path, artifacts: &[Artifact]) -> io::Result<WriteStats> {
    let mut dirs: Vec<PathBuf> = artifacts
        .iter()
        .filter_map(|a| staging.join(&a.path).parent().map(Path::to_path_buf))
        .collect();
    dirs.sort();
    dirs.dedup();
    for d in &dirs {
        fs::create_dir_all(d)?;
    }
    let results: Vec<io::Result<bool>> = artifacts
        .par_iter()
        .map(|a| {
            let dest = staging.join(&a.path);
            let old = previous.join(&a.path);
            match &a.content {
                ArtifactContent::Bytes(bytes) => {
                    if same_bytes(&old, bytes) && fs::hard_link(&old, &dest).is_ok() {
                        return Ok(false);
                    }
                    fs::write(&dest, bytes).map(|_| true)
                }
                ArtifactContent::Copy(from) => fs::copy(from, &dest).map(|_| true),
            }
        })
        .collect();
    let mut stats = WriteStats::default();
    for r in results {
        if r? {
            stats.written += 1;
        } else {
            stats.unchanged += 1;
        }
    }
    Ok(stats)
}

fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    match fs::metadata(path) {
        Ok(m) if m.len() == bytes.len() as u64 => fs::read(path).is_ok_and(|b| b == bytes),
        _ => false,
    }
}
