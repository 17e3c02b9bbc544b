//! The Disqus reader groups posts in bounded memory: the output must not depend on the memory
//! budget (tiny budgets force spilling to temporary files and re-partitioning).

mod common;

use commentguard::{Format, ReadOptions, Status, Thread};
use std::fmt::Write as _;

fn read_with(doc: &[u8], budget: usize) -> Vec<Thread> {
    let mut o = ReadOptions::default();
    o.memory_budget = budget;
    common::threads_of(doc, Format::Disqus, o)
}

/// Everything a thread holds, comments included, as one string.
fn dump(threads: &[Thread]) -> String {
    let mut s = String::new();
    for t in threads {
        writeln!(s, "{:?} {:?} {:?} {:?}", t.id, t.title, t.url, t.site).unwrap();
        writeln!(s, "notes {:?}", t.notes()).unwrap();
        for v in t.walk() {
            let c = v.comment;
            writeln!(s, "{} {:?} {:?}", v.depth, v.parent, c).unwrap();
        }
        writeln!(s, "orphans {:?}", t.orphans().collect::<Vec<_>>()).unwrap();
    }
    s
}

const BUDGETS: [usize; 3] = [0, 3_000, 40_000];

#[test]
fn fixtures_read_the_same_with_any_budget() {
    let Some(dir) = common::shared("fixtures/threads/disqus", "fixtures_read_the_same") else {
        return;
    };
    for name in [
        "isso-disqus.xml",
        "schnack-disqus.xml",
        "remark42-disqus.xml",
    ] {
        let doc = std::fs::read(dir.join(name)).unwrap();
        let threads = read_with(&doc, usize::MAX);
        assert!(!threads.is_empty(), "{name}");
        let whole = dump(&threads);
        for budget in BUDGETS {
            assert_eq!(
                dump(&read_with(&doc, budget)),
                whole,
                "{name} at budget {budget}"
            );
        }
    }
}

/// A Disqus export with `threads` defined threads (two defined only after their posts, plus
/// posts naming threads that are never defined), `posts` posts spread over them in random
/// order, replies to earlier and to later posts, deleted parents, spam and entities.
fn export(threads: u64, posts: u64, seed: u64) -> String {
    let mut rng = common::lcg::Lcg(seed);
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<disqus xmlns=\"http://disqus.com\" \
         xmlns:dsq=\"http://disqus.com/disqus-internals\">\n",
    );
    let def = |s: &mut String, t: u64| {
        writeln!(
            s,
            "<thread dsq:id=\"t{t}\"><id/><forum>forum{}</forum><title>Title {t} &amp; co</title>\
             <link>https://example.org/{t}</link><isDeleted>{}</isDeleted></thread>",
            t % 3,
            t % 17 == 0
        )
        .unwrap();
    };
    for t in 2..threads {
        def(&mut s, t);
    }
    let mut in_thread: Vec<Vec<u64>> = vec![Vec::new(); threads as usize + 5];
    for p in 0..posts {
        // Threads 0..threads defined, threads..threads+5 never defined.
        let t = rng.below(threads + 5);
        let mine = &mut in_thread[t as usize];
        let parent = match rng.below(4) {
            0 if !mine.is_empty() => Some(mine[rng.below(mine.len() as u64) as usize]),
            1 => Some(p + 1), // a reply that comes before its parent (or an orphan)
            _ => None,
        };
        mine.push(p);
        let parent = parent
            .map(|q| format!("<parent dsq:id=\"p{q}\"/>"))
            .unwrap_or_default();
        let words = "word ".repeat(rng.below(40) as usize);
        writeln!(
            s,
            "<post dsq:id=\"p{p}\"><id/><message><![CDATA[<p>post {p} &lt;3 {words}</p>]]></message>\
             <createdAt>2013-10-10T19:20:29Z</createdAt><isDeleted>{}</isDeleted>\
             <isSpam>{}</isSpam><forum>forum{}</forum><author><name>user {}</name></author>\
             <thread dsq:id=\"t{t}\"/>{parent}</post>",
            rng.below(10) == 0,
            rng.below(25) == 0,
            t % 3,
            p % 50,
        )
        .unwrap();
    }
    def(&mut s, 0);
    def(&mut s, 1);
    s.push_str("</disqus>\n");
    s
}

#[test]
fn generated_export_reads_the_same_with_any_budget() {
    let (threads, posts) = (300, 6_000);
    let doc = export(threads, posts, 42);
    let whole = read_with(doc.as_bytes(), usize::MAX);
    // Every post is read once; defined threads with posts come first, in definition order
    // (t2.., then t0 and t1 defined at the end), then undefined threads by first post.
    assert_eq!(whole.iter().map(Thread::len).sum::<usize>(), posts as usize);
    let ids: Vec<&str> = whole.iter().map(|t| t.id.as_str()).collect();
    let defined: Vec<String> = (2..threads).chain(0..2).map(|t| format!("t{t}")).collect();
    let undefined = &ids[ids.len() - 5..];
    assert_eq!(&ids[..ids.len() - 5], defined);
    for t in undefined {
        let n: u64 = t[1..].parse().unwrap();
        assert!(n >= threads, "{t}");
    }
    let first_post = |t: &Thread| t.comment(0).id[1..].parse::<u64>().unwrap();
    let undefined_threads = &whole[whole.len() - 5..];
    assert!(undefined_threads
        .windows(2)
        .all(|w| first_post(&w[0]) < first_post(&w[1])));
    for t in &whole {
        // Posts keep file order within a thread.
        let seqs: Vec<u64> = t
            .comments()
            .iter()
            .map(|c| c.id[1..].parse().unwrap())
            .collect();
        assert!(seqs.windows(2).all(|w| w[0] < w[1]), "{}", t.id);
        let n: u64 = t.id[1..].parse().unwrap();
        if n < threads {
            assert_eq!(t.title.as_deref(), Some(format!("Title {n} & co").as_str()));
            assert_eq!(t.site.as_deref(), Some(format!("forum{}", n % 3).as_str()));
        } else {
            assert!(t.notes().iter().any(|x| x.contains("not defined")));
            assert_eq!(t.site.as_deref(), Some(format!("forum{}", n % 3).as_str()));
        }
    }
    let statuses = whole
        .iter()
        .flat_map(|t| t.comments())
        .fold([0; 3], |mut a, c| {
            match c.status {
                Status::Deleted => a[0] += 1,
                Status::Spam => a[1] += 1,
                _ => a[2] += 1,
            }
            a
        });
    assert!(statuses[0] > 0 && statuses[1] > 0, "{statuses:?}");
    assert!(whole.iter().map(Thread::max_depth).max().unwrap() > 3);

    let expected = dump(&whole);
    // 0 spills every record; 3,000 bytes splits partitions again; 200 KB spills a few times.
    for budget in [0, 3_000, 200_000] {
        assert_eq!(
            dump(&read_with(doc.as_bytes(), budget)),
            expected,
            "budget {budget}"
        );
    }
}

#[test]
fn one_thread_larger_than_the_budget() {
    let doc = export(1, 2_000, 7);
    let whole = dump(&read_with(doc.as_bytes(), usize::MAX));
    assert_eq!(dump(&read_with(doc.as_bytes(), 1_000)), whole);
}

#[test]
fn errors_do_not_depend_on_the_budget() {
    let doc = export(20, 400, 3);
    let mut seen = Vec::new();
    for budget in [0, usize::MAX] {
        let mut o = ReadOptions::default();
        o.memory_budget = budget;
        o.max_comments_per_thread = 10;
        let items: Vec<_> = common::read_doc(doc.as_bytes(), Format::Disqus, o)
            .unwrap()
            .collect();
        // Threads before the first oversized one in output order, then its error, then stop.
        let last = items.last().unwrap().as_ref().unwrap_err();
        assert!(
            last.to_string().contains("comments in one thread"),
            "{last}"
        );
        assert!(last.position().comment_id.is_some());
        assert!(items[..items.len() - 1].iter().all(|t| t.is_ok()));
        seen.push((items.len(), last.to_string()));
    }
    assert_eq!(seen[0], seen[1]);
}
