//! The web app's import graph: relative imports (`from './x'`, lazy
//! `import('./x')`) between files of `web/src`, and the cycles among them.

use std::{
    collections::BTreeMap,
    fs,
    path::{Path, PathBuf},
};

/// Each file of `dir` (`.ts`, `.tsx`; tests left out) and the files it imports.
pub fn import_graph(dir: &Path) -> BTreeMap<PathBuf, Vec<PathBuf>> {
    let mut files = Vec::new();
    collect(dir, &mut files);
    files
        .iter()
        .map(|file| {
            let text = fs::read_to_string(file).expect("a web source file reads");
            let targets = specifiers(&text)
                .into_iter()
                .filter(|s| s.starts_with('.'))
                .filter_map(|s| resolve(file, &s))
                .collect();
            (file.clone(), targets)
        })
        .collect()
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("web/src lists") {
        let path = entry.expect("a directory entry").path();
        let name = path.to_string_lossy().to_string();
        if path.is_dir() {
            collect(&path, out);
        } else if (name.ends_with(".ts") || name.ends_with(".tsx")) && !name.contains(".test.") {
            out.push(path);
        }
    }
}

/// The quoted module names after `from` and inside `import(`.
fn specifiers(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for marker in ["from '", "from \"", "import('", "import(\""] {
        let quote = marker.chars().last().unwrap_or('\'');
        for (at, _) in text.match_indices(marker) {
            let rest = &text[at + marker.len()..];
            if let Some(end) = rest.find(quote) {
                out.push(rest[..end].to_string());
            }
        }
    }
    out
}

fn resolve(from: &Path, specifier: &str) -> Option<PathBuf> {
    let base = from.parent()?.join(specifier);
    let candidates = [
        base.clone(),
        base.with_extension("ts"),
        base.with_extension("tsx"),
        base.join("index.ts"),
        base.join("index.tsx"),
    ];
    candidates
        .into_iter()
        .find(|c| c.is_file())
        .map(|c| c.components().collect())
}

/// One cycle of the graph, if there is any, as the files around it.
pub fn a_cycle(graph: &BTreeMap<PathBuf, Vec<PathBuf>>) -> Option<Vec<PathBuf>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    fn visit(
        node: &PathBuf,
        graph: &BTreeMap<PathBuf, Vec<PathBuf>>,
        marks: &mut BTreeMap<PathBuf, Mark>,
        stack: &mut Vec<PathBuf>,
    ) -> Option<Vec<PathBuf>> {
        match marks.get(node) {
            Some(Mark::Done) => return None,
            Some(Mark::Open) => {
                let start = stack.iter().position(|n| n == node).unwrap_or(0);
                let mut cycle = stack[start..].to_vec();
                cycle.push(node.clone());
                return Some(cycle);
            }
            None => {}
        }
        marks.insert(node.clone(), Mark::Open);
        stack.push(node.clone());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, marks, stack) {
                return Some(cycle);
            }
        }
        stack.pop();
        marks.insert(node.clone(), Mark::Done);
        None
    }
    let mut marks = BTreeMap::new();
    graph
        .keys()
        .find_map(|node| visit(node, graph, &mut marks, &mut Vec::new()))
}
