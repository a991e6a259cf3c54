//! Pages of lists.

/// Lists are read one row past the page asked for, to learn whether more
/// follow without counting: cuts `rows` to `limit` and says whether any
/// were cut.
pub fn cut_page<T>(rows: &mut Vec<T>, limit: u32) -> bool {
    let limit = limit as usize;
    let more = rows.len() > limit;
    rows.truncate(limit);
    more
}
