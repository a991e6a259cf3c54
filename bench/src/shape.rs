//! The shape of a generated dataset: a framework with the platform's
//! procedure tree, organizations, lines of business, templates and services,
//! each a layer of overrides, additions, removals and branch redirects.
//!
//! The platform tree is a ternary heap: `p-0000` (triage) branches to
//! `p-0001`..`p-0003`, each of those to three more, and so on; then extra
//! cross branches up to the wanted count lead back to decisions. Entries point
//! error codes at decisions below the root, so a code's runbook is a subtree.
//! Services only remove leaves, with the tree branch that led to them, so every
//! generated service resolves without errors.

use std::collections::BTreeMap;

use rand::{Rng, seq::IndexedRandom};
use rand_chacha::ChaCha8Rng;
use serde_json::{Map, json};

use light_runbook::domain::{
    BranchChange, BranchId, BranchLabel, BranchPatch, Contact, EntryCode, ErrorCode,
    ErrorCodePatch, Host, InvalidId, Patch, ProcedureChange, ProcedureKey, ProcedureKind,
    ProcedurePatch, Scope, ScopeContent, ScopeDocument, ScopeId, ScopeKind,
};

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Params {
    pub services: usize,
    pub procedures: usize,
    pub branches: usize,
    pub error_codes: usize,
    pub organizations: usize,
    pub lines_per_organization: usize,
    pub templates: usize,
}

/// The ids generation gives the framework's scope.
pub const FRAMEWORK: &str = "platform";

const WORDS: [&str; 24] = [
    "check",
    "the",
    "service",
    "logs",
    "for",
    "errors",
    "restart",
    "pod",
    "token",
    "database",
    "latency",
    "queue",
    "consumer",
    "lag",
    "rollback",
    "deploy",
    "config",
    "secret",
    "alert",
    "dashboard",
    "on-call",
    "owner",
    "traffic",
    "cache",
];

/// Builds documents with one seeded generator.
pub(super) struct Shaper {
    pub rng: ChaCha8Rng,
    pub host: Host,
    pub params: Params,
}

pub(super) type R<T> = Result<T, InvalidId>;

pub(super) fn key(s: impl Into<String>) -> R<ProcedureKey> {
    ProcedureKey::parse(s)
}

pub(super) fn pkey(i: usize) -> R<ProcedureKey> {
    key(format!("p-{i:04}"))
}

/// The platform's error codes: `ERR10000`, `ERR10001`, …
pub fn code(i: usize) -> R<ErrorCode> {
    ErrorCode::parse(format!("ERR{:05}", 10_000 + i))
}

/// The tree parent of platform procedure `i > 0`.
pub(super) fn tree_parent(i: usize) -> usize {
    (i - 1) / 3
}

impl Shaper {
    pub(super) fn internal(&self) -> usize {
        (self.params.procedures.saturating_sub(2) / 3 + 1).min(self.params.procedures)
    }

    fn text(&mut self, min_words: usize, max_words: usize) -> String {
        let n = self.rng.random_range(min_words..=max_words);
        let mut out = String::new();
        for i in 0..n {
            if i > 0 {
                out.push(if i % 12 == 0 { '\n' } else { ' ' });
            }
            out.push_str(WORDS.choose(&mut self.rng).copied().unwrap_or("check"));
        }
        out
    }

    fn procedure(&mut self, title: String, kind: ProcedureKind) -> ProcedureChange {
        let automation = (kind == ProcedureKind::Automated).then(|| {
            let mut m = Map::new();
            m.insert("executor".into(), json!("ansible"));
            m.insert(
                "input".into(),
                json!({ "playbook": format!("{}.yml", title.len()) }),
            );
            m
        });
        ProcedureChange::Patch(ProcedurePatch {
            title: Patch::Set(title),
            kind: Patch::Set(kind),
            body: Patch::Set(self.text(20, 80)),
            automation: automation.map_or(Patch::Absent, Patch::Set),
            tags: Patch::Set(vec![
                WORDS[self.rng.random_range(0..WORDS.len())].to_owned(),
            ]),
        })
    }

    pub(super) fn override_body(&mut self) -> ProcedureChange {
        ProcedureChange::Patch(ProcedurePatch {
            body: Patch::Set(self.text(10, 40)),
            ..ProcedurePatch::default()
        })
    }

    pub(super) fn scope(&mut self, id: &str, kind: ScopeKind, parents: &[&str]) -> R<Scope> {
        let contacts = if kind == ScopeKind::Service && self.rng.random_bool(0.7) {
            Vec::new()
        } else {
            vec![Contact {
                name: format!("{id} on-call"),
                email: Some(format!("oncall@{id}.example")),
                phone: None,
                chat: Some(format!("#{id}")),
            }]
        };
        Ok(Scope {
            host: self.host.clone(),
            id: ScopeId::parse(id)?,
            name: format!("{id} ({})", kind.as_str().to_lowercase()),
            kind,
            parents: parents
                .iter()
                .map(|p| ScopeId::parse(*p))
                .collect::<R<_>>()?,
            owners: vec![format!("{id}-team")],
            contacts,
        })
    }

    /// The framework: the whole platform tree, codes and entries.
    pub fn framework(&mut self) -> R<ScopeDocument> {
        let p = self.params;
        let internal = self.internal();
        let mut content = ScopeContent::default();
        for i in 0..p.procedures {
            let kind = match (i < internal, i % 4) {
                (true, _) => ProcedureKind::Decision,
                (false, 0) => ProcedureKind::Resolution,
                (false, 1) => ProcedureKind::Escalation,
                (false, 2) => ProcedureKind::Automated,
                _ => ProcedureKind::Step,
            };
            let change = self.procedure(format!("Platform procedure {i}"), kind);
            content.procedures.insert(pkey(i)?, change);
        }
        for i in 1..p.procedures {
            let to = pkey(i)?;
            let order = i64::try_from(i).unwrap_or(i64::MAX);
            branch(
                &mut content,
                &pkey(tree_parent(i))?,
                &format!("l-{i}"),
                to,
                order,
            )?;
        }
        for x in 0..p.branches.saturating_sub(p.procedures.saturating_sub(1)) {
            // A shortcut down the tree: a code's runbook stays its entry's subtree.
            let from = self.rng.random_range(0..internal);
            let to = self.descendant(from);
            if to != from {
                branch(
                    &mut content,
                    &pkey(from)?,
                    &format!("x-{x}"),
                    pkey(to)?,
                    1000,
                )?;
            }
        }
        for c in 0..p.error_codes {
            content.error_codes.insert(
                code(c)?,
                ErrorCodePatch {
                    status_code: Patch::Set(400 + u16::try_from(c % 200).unwrap_or(0)),
                    message: Patch::Set(format!("PLATFORM_ERROR_{c}")),
                    description: Patch::Set(self.text(6, 16)),
                    severity: Patch::Set(["ERROR", "WARN"][c % 2].to_owned()),
                },
            );
            let target = self.entry_target();
            content
                .entries
                .insert(EntryCode::Code(code(c)?), Some(pkey(target)?));
        }
        content.entries.insert(EntryCode::Default, Some(pkey(0)?));
        let scope = self.scope(FRAMEWORK, ScopeKind::Framework, &[])?;
        Ok(ScopeDocument { scope, content })
    }

    /// A decision below the root that an entry may point at.
    fn entry_target(&mut self) -> usize {
        let internal = self.internal();
        if internal <= 1 {
            return 0;
        }
        let hi = (internal * 2 / 5).max(2);
        self.rng.random_range(1..hi)
    }

    /// A middle scope: a few overrides and additions hooked into decisions.
    pub fn middle(
        &mut self,
        id: &str,
        kind: ScopeKind,
        parents: &[&str],
        overrides: usize,
        additions: usize,
    ) -> R<ScopeDocument> {
        let scope = self.scope(id, kind, parents)?;
        let mut content = ScopeContent::default();
        self.overrides(&mut content, overrides)?;
        let prefix: String = id.chars().filter(char::is_ascii_alphanumeric).collect();
        self.additions(&mut content, &prefix.to_lowercase(), additions)?;
        Ok(ScopeDocument { scope, content })
    }

    fn overrides(&mut self, content: &mut ScopeContent, n: usize) -> R<()> {
        for _ in 0..n {
            let i = self.rng.random_range(0..self.params.procedures);
            let change = self.override_body();
            content.procedures.insert(pkey(i)?, change);
        }
        Ok(())
    }

    /// A decision 1 to 3 levels below decision `i` (or `i` when its children are leaves).
    pub(super) fn descendant(&mut self, i: usize) -> usize {
        let (internal, mut at) = (self.internal(), i);
        for _ in 0..self.rng.random_range(1..=3) {
            let first = 3 * at + 1;
            if first >= internal {
                break;
            }
            at = self.rng.random_range(first..(first + 3).min(internal));
        }
        at
    }

    /// `n` new procedures, each reached from a decision, with a retry loop
    /// back to it and a way further down its subtree.
    pub(super) fn additions(
        &mut self,
        content: &mut ScopeContent,
        prefix: &str,
        n: usize,
    ) -> R<()> {
        let internal = self.internal();
        for k in 0..n {
            let new = key(format!("{prefix}-{k}"))?;
            let change = self.procedure(format!("{prefix} procedure {k}"), ProcedureKind::Step);
            content.procedures.insert(new.clone(), change);
            let from = self.rng.random_range(0..internal);
            let label = format!("{prefix}-{k}");
            branch(content, &pkey(from)?, &label, new.clone(), 500)?;
            branch(content, &new, "retry", pkey(from)?, 2)?;
            let further = self.descendant(from);
            branch(content, &new, "still failing", pkey(further)?, 1)?;
        }
        Ok(())
    }
}

pub(super) fn branch(
    content: &mut ScopeContent,
    from: &ProcedureKey,
    label: &str,
    to: ProcedureKey,
    order: i64,
) -> R<()> {
    let id = BranchId {
        from: from.clone(),
        label: BranchLabel::parse(label)?,
    };
    let patch = BranchPatch {
        to: Patch::Set(to),
        condition: Patch::Set(format!("when {label}")),
        order: Patch::Set(order),
    };
    content.branches.insert(id, BranchChange::Patch(patch));
    Ok(())
}

/// Counts by kind of what a set of documents holds, for the dataset summary.
pub fn summary(docs: &[ScopeDocument]) -> BTreeMap<&'static str, usize> {
    let mut out = BTreeMap::new();
    for d in docs {
        *out.entry(d.scope.kind.as_str()).or_default() += 1;
        *out.entry("procedure layers").or_default() += d.content.procedures.len();
        *out.entry("branch layers").or_default() += d.content.branches.len();
        *out.entry("entries").or_default() += d.content.entries.len();
    }
    out
}
