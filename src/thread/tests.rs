use super::*;

fn c(id: &str, parent: Option<&str>) -> Comment {
    Comment::new(id, format!("text {id}")).with_parent(parent)
}

fn build(cs: Vec<Comment>) -> Thread {
    let mut b = ThreadBuilder::new("t");
    for x in cs {
        b.push(x);
    }
    b.finish()
}

fn order(t: &Thread) -> Vec<(String, u32)> {
    t.walk().map(|v| (v.comment.id.clone(), v.depth)).collect()
}

#[test]
fn children_before_parents_are_linked() {
    let t = build(vec![c("3", Some("2")), c("2", Some("1")), c("1", None)]);
    assert_eq!(
        order(&t),
        vec![("1".into(), 1), ("2".into(), 2), ("3".into(), 3)]
    );
    assert_eq!(t.max_depth(), 3);
    assert_eq!(t.orphans().count(), 0);
}

#[test]
fn siblings_keep_input_order() {
    let t = build(vec![
        c("a", None),
        c("b", None),
        c("a1", Some("a")),
        c("a2", Some("a")),
        c("b1", Some("b")),
    ]);
    let ids: Vec<String> = order(&t).into_iter().map(|x| x.0).collect();
    assert_eq!(ids, ["a", "a1", "a2", "b", "b1"]);
}

#[test]
fn orphans_are_roots_and_reported() {
    let t = build(vec![c("1", None), c("2", Some("99")), c("3", Some("2"))]);
    assert_eq!(t.orphans().collect::<Vec<_>>(), vec![1]);
    assert_eq!(t.comment(1).declared_parent.as_deref(), Some("99"));
    assert_eq!(order(&t)[1], ("2".into(), 1));
    assert_eq!(order(&t)[2], ("3".into(), 2));
}

#[test]
fn self_parent_is_broken() {
    let t = build(vec![c("1", Some("1")), c("2", Some("1"))]);
    assert_eq!(t.cycles_broken().collect::<Vec<_>>(), vec![0]);
    assert_eq!(order(&t), vec![("1".into(), 1), ("2".into(), 2)]);
}

#[test]
fn long_cycle_broken_at_lowest_id() {
    // 5 -> 3 -> 10 -> 5 ; lowest numeric id is 3.
    let t = build(vec![
        c("5", Some("10")),
        c("3", Some("5")),
        c("10", Some("3")),
    ]);
    assert_eq!(t.cycles_broken().collect::<Vec<_>>(), vec![1]);
    assert_eq!(t.parent(1), None);
    assert_eq!(
        order(&t),
        vec![("3".into(), 1), ("10".into(), 2), ("5".into(), 3)]
    );
    // every comment visited exactly once
    assert_eq!(t.walk().count(), 3);
}

#[test]
fn cycle_hanging_off_a_tail() {
    // 4 -> 1 -> 2 -> 3 -> 1 : the tail (4) stays attached.
    let t = build(vec![
        c("1", Some("3")),
        c("2", Some("1")),
        c("3", Some("2")),
        c("4", Some("1")),
    ]);
    assert_eq!(t.cycles_broken().count(), 1);
    assert_eq!(t.walk().count(), 4);
    assert_eq!(t.roots().count(), 1);
}

#[test]
fn duplicate_ids_keep_both_comments() {
    let t = build(vec![c("1", None), c("1", None), c("2", Some("1"))]);
    assert_eq!(t.duplicate_ids().collect::<Vec<_>>(), vec![1]);
    assert_eq!(t.walk().count(), 3);
    assert_eq!(t.parent(2), Some(0));
}

#[test]
fn deep_chain_does_not_overflow() {
    let n = 100_000;
    let mut b = ThreadBuilder::new("deep");
    b.push(Comment::new("0", "root"));
    for i in 1..n {
        b.push(Comment::new(i.to_string(), "x").with_parent(Some((i - 1).to_string())));
    }
    let t = b.finish();
    assert_eq!(t.max_depth(), n as u32);
    let last = t.walk().last().unwrap();
    assert_eq!(last.depth, n as u32);
    assert_eq!(last.ancestors().count(), n - 1);
    // Tearing down a deep thread must not recurse either.
    drop(t);
}

#[test]
fn deep_cycle_does_not_overflow() {
    let n = 100_000;
    let mut b = ThreadBuilder::new("ring");
    for i in 0..n {
        b.push(Comment::new(i.to_string(), "x").with_parent(Some(((i + 1) % n).to_string())));
    }
    let t = b.finish();
    assert_eq!(t.cycles_broken().count(), 1);
    assert_eq!(t.walk().count(), n);
}

#[test]
fn own_ranges_exclude_quotes() {
    let mut x = Comment::new("1", "> you are vermin\nno, that is hateful");
    x.quotes = std::iter::once(0..16).collect();
    assert_eq!(x.own_ranges(), vec![16..x.text.len()]);
    assert!(x.is_quoted(3));
    assert!(!x.is_quoted(20));
}
