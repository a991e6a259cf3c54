//! Which branch follows a procedure, when the service can tell by itself.

use super::super::{expr::Expr, pinned::PinnedBranch};

/// What comes after a procedure.
#[derive(Debug, Clone, PartialEq)]
pub enum Choice {
    /// Follow this branch; the reason says why (the condition, or a rule).
    Take(PinnedBranch, String),
    /// A person picks a branch; with the reason when conditions could not decide.
    Choose(Option<String>),
    /// No branch leaves the procedure: the path ends here.
    End,
}

/// Decides among `branches` (in branch order) with the execution's variables.
///
/// Conditions are tried in order and the first that holds is taken; one that
/// does not parse or cannot be evaluated before that stops the service from
/// deciding. When none holds, the single branch without a condition (if
/// exactly one) is the default. Without any condition, only a procedure that
/// is not a DECISION follows its single branch by itself.
pub fn choose(branches: &[&PinnedBranch], vars: &serde_json::Value, decision: bool) -> Choice {
    if branches.is_empty() {
        return Choice::End;
    }
    if !branches.iter().any(|b| has_condition(b)) {
        return match branches {
            [only] if !decision => Choice::Take((*only).clone(), "its only branch".into()),
            _ => Choice::Choose(None),
        };
    }
    for branch in branches.iter().filter(|b| has_condition(b)) {
        let text = branch.condition.as_deref().unwrap_or_default();
        let expr = match Expr::parse(text) {
            Ok(expr) => expr,
            Err(e) => {
                return Choice::Choose(Some(format!(
                    "the condition of branch {:?} is not machine-checkable ({e}): {}",
                    branch.label.as_str(),
                    shown(text)
                )));
            }
        };
        match expr.check(vars) {
            Ok(true) => return Choice::Take((*branch).clone(), format!("condition holds: {text}")),
            Ok(false) => {}
            Err(e) => {
                return Choice::Choose(Some(format!(
                    "the condition of branch {:?} cannot be decided ({e}): {}",
                    branch.label.as_str(),
                    shown(text)
                )));
            }
        }
    }
    let defaults: Vec<&PinnedBranch> = branches
        .iter()
        .copied()
        .filter(|b| !has_condition(b))
        .collect();
    match defaults.as_slice() {
        [only] => Choice::Take(
            (*only).clone(),
            "no condition held; the branch without a condition".into(),
        ),
        _ => Choice::Choose(Some("no condition held".into())),
    }
}

fn has_condition(branch: &PinnedBranch) -> bool {
    branch
        .condition
        .as_deref()
        .is_some_and(|c| !c.trim().is_empty())
}

/// Most characters of a condition quoted in a reason: a condition written
/// before the bounds existed may be far longer.
const SHOWN_CHARS: usize = 200;

/// The condition as a reason quotes it, cut to [`SHOWN_CHARS`].
fn shown(text: &str) -> String {
    match text.char_indices().nth(SHOWN_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}
