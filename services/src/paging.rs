//! Lists a page at a time: a page is read with one row more than it holds, whose presence says
//! there is a next page; the last row kept gives the cursor of the next.

/// One page of a list; `next` is the cursor of the following page (an id unless the list is
/// ordered by something else), `None` on the last.
pub struct Page<T, C = i64> {
    pub rows: Vec<T>,
    pub next: Option<C>,
}

/// `rows` as read with `size + 1` asked for; `cursor` gives a row's cursor.
pub(crate) fn page<T, C>(mut rows: Vec<T>, size: i64, cursor: impl Fn(&T) -> C) -> Page<T, C> {
    let more = rows.len() as i64 > size;
    rows.truncate(usize::try_from(size).unwrap_or(0));
    let next = if more { rows.last().map(cursor) } else { None };
    Page { rows, next }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_extra_row_says_there_is_more() {
        let full = page(vec![1, 2, 3], 2, |n| *n);
        assert_eq!((full.rows, full.next), (vec![1, 2], Some(2)));
        let last = page(vec![1, 2], 2, |n| *n);
        assert_eq!((last.rows, last.next), (vec![1, 2], None));
    }
}
