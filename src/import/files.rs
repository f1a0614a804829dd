//! A set of source files gathered from zips, folders and single files, looked up by name.
//!
//! Taxonomies are shipped as zips, extracted folders, or both, and their file names drift
//! between versions (`occupationSkillRelations.csv` in ESCO 1.1, `..._en.csv` in 1.2). So files
//! are keyed by a normalized name: the stem in lower case without a trailing `_en`, plus the
//! extension.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The largest file read into memory: ESCO's biggest is ~21 MB.
const MAX_FILE: u64 = 512 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot read the zip {path}: {source}")]
    Zip {
        path: PathBuf,
        source: zip::result::ZipError,
    },
    #[error("{0}")]
    Missing(String),
}

#[derive(Default)]
pub struct FileSet {
    files: BTreeMap<(String, String), (String, Vec<u8>)>,
}

fn key(name: &str) -> Option<(String, String)> {
    let path = Path::new(name);
    let stem = path.file_stem()?.to_str()?.to_lowercase();
    let ext = path.extension()?.to_str()?.to_lowercase();
    let stem = stem.strip_suffix("_en").unwrap_or(&stem).to_owned();
    Some((stem, ext))
}

impl FileSet {
    /// Gathers every file from `paths`: zips are opened, folders walked (zips inside included).
    pub fn open(paths: &[PathBuf]) -> Result<FileSet, Error> {
        let mut set = FileSet::default();
        for path in paths {
            set.add_path(path)?;
        }
        Ok(set)
    }

    fn add_path(&mut self, path: &Path) -> Result<(), Error> {
        let io = |source| Error::Io {
            path: path.to_owned(),
            source,
        };
        if path.is_dir() {
            let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
                .map_err(io)?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .collect();
            entries.sort();
            for entry in entries {
                self.add_path(&entry)?;
            }
        } else if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("zip"))
        {
            let file = std::fs::File::open(path).map_err(io)?;
            let zip_error = |source| Error::Zip {
                path: path.to_owned(),
                source,
            };
            let mut archive = zip::ZipArchive::new(file).map_err(zip_error)?;
            for i in 0..archive.len() {
                let mut entry = archive.by_index(i).map_err(zip_error)?;
                if entry.is_dir() || entry.size() > MAX_FILE {
                    continue;
                }
                let name = entry.name().to_owned();
                let mut bytes = Vec::with_capacity(entry.size() as usize);
                entry.read_to_end(&mut bytes).map_err(io)?;
                self.insert(&name, format!("{}:{name}", path.display()), bytes);
            }
        } else {
            let bytes = std::fs::read(path).map_err(io)?;
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            self.insert(name, path.display().to_string(), bytes);
        }
        Ok(())
    }

    fn insert(&mut self, name: &str, shown: String, bytes: Vec<u8>) {
        if let Some(key) = key(name) {
            self.files.insert(key, (shown, bytes));
        }
    }

    /// A file by normalized stem and extension (`("skills", "csv")`).
    pub fn get(&self, stem: &str, ext: &str) -> Option<&[u8]> {
        self.files
            .get(&(stem.to_owned(), ext.to_owned()))
            .map(|(_, bytes)| bytes.as_slice())
    }

    /// Like [`get`](Self::get), but an error naming what is missing.
    pub fn require(&self, stem: &str, ext: &str, hint: &str) -> Result<&[u8], Error> {
        self.get(stem, ext)
            .ok_or_else(|| Error::Missing(format!("no {stem}.{ext} found ({hint})")))
    }
}

/// A CSV table read by column name, so column order may differ between versions.
pub struct Table {
    columns: BTreeMap<String, usize>,
    pub rows: Vec<csv::StringRecord>,
}

impl Table {
    pub fn read(bytes: &[u8], delimiter: u8) -> Result<Table, csv::Error> {
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .from_reader(bytes);
        let columns = reader
            .headers()?
            .iter()
            .enumerate()
            .map(|(i, h)| (h.trim().trim_start_matches('\u{feff}').to_lowercase(), i))
            .collect();
        let rows = reader.records().collect::<Result<Vec<_>, _>>()?;
        Ok(Table { columns, rows })
    }

    /// The index of a column, by case-insensitive name.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.columns.get(&name.to_lowercase()).copied()
    }

    pub fn has(&self, name: &str) -> bool {
        self.column(name).is_some()
    }
}

/// A row's field by column index; empty when the row is short.
pub fn field(row: &csv::StringRecord, column: Option<usize>) -> &str {
    column.and_then(|c| row.get(c)).unwrap_or("").trim()
}
