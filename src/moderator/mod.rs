//! The Moderator: scores comments with a model bundle and explains every flag.

mod fast;
mod groups;
mod individuals;
mod mentions;
mod negated;
mod objects;
mod own;
mod reasons;
mod senses;
mod verdict;

pub use verdict::{Action, LeftOut, LeftOutWhy, Reason, Verdict};

use crate::features::slur_floor::{self, SlurFloor};
use crate::features::{Context, FeatureSpace, Scratch};
use crate::lexicon::{Category, Hit, Lexicon};
use crate::model::{Bundle, Label, LinearModel, ModelCard};
use crate::thread::{Comment, Thread, Visit};
use crate::{Error, Result};
use once_cell::sync::Lazy;
#[cfg(test)]
use own::{inline_quotes, own_text};
use rayon::prelude::*;
#[cfg(test)]
use reasons::word_span;
use std::cell::RefCell;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

/// Per-label decision settings. Defaults: the model's own (dev-tuned) thresholds; `reject`
/// when a hateful label (identity_attack, dehumanising, slur) or threat reaches 0.9.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Policy {
    /// Threshold overrides per label (`None` = the model's threshold).
    pub thresholds: [Option<f32>; Label::COUNT],
    /// Probability at which a flagged hateful label or threat means `reject`. Default 0.9.
    pub reject_at: f32,
    /// Explain each flag with reasons (default). Without, a verdict's `reasons` are empty and
    /// scoring skips the work of finding them; scores, flags, action and target are the same.
    pub reasons: bool,
    /// Read homonyms in their innocent sense where their neighbours settle it ("a quick fag
    /// behind the pub", "the river Niger"), and slurs in a first-person self-description as
    /// in-group use ("I'm a dyke"; `src/moderator/senses.tsv`): such a word is left out of the
    /// comment's own words, as quoted abuse is. Default on.
    pub senses: bool,
    /// Count an insult or stereotype said of a whole group ("the Irish are all drunks",
    /// "lazy immigrants", "I can't stand Catholics"; `src/moderator/groups.tsv`), a wish to
    /// expel one ("deport all the Syrians", "Roma families should be deported") and a threat
    /// the model flags in a sentence that names one as an identity attack, unless the
    /// sentence negates, disputes or reports it: identity_attack is raised to its threshold.
    /// Default on.
    pub group_insults: bool,
    /// Leave out abusive words the comment denies or names instead of using: a dehumanising
    /// word right after a negation ("Refugees are not vermin"), a slur or dehumanising word
    /// as what someone should not call or describe ("Don't call Koreans gooks"), or alone in
    /// quotation marks ("'troon' is now on the auto-remove list"). Default on.
    pub mentions: bool,
    /// Give an ambiguous slur (one the lexicon marks homonym or reclaimed) the slur floor of
    /// its severity when its neighbours read it as said of a person in a plain comment
    /// ("you spastic", "stupid dyke", "a bunch of retards", "the kraut tourists";
    /// `src/moderator/persons.tsv`), as an unambiguous slur has; and keep an unambiguous
    /// slur's floor when the only negation before it shuts people out ("no _s in my gym",
    /// "don't hire that _"; `negated.rs`, session 14). Default on.
    pub person_slurs: bool,
    /// Count identity used against one person as an identity attack: told to go back to a
    /// country or "where you came from", sent to the kitchen, "typical woman", tokenism
    /// ("only got the job because she's a woman"), backhanded praise ("articulate for a
    /// Black girl"; `src/moderator/individuals.tsv`), unless negated, reported, disputed or
    /// the writer's own: identity_attack is raised to its threshold. Default on.
    pub individual_attacks: bool,
    /// Leave out dehumanising words said of things: a sentence that names a thing, an animal,
    /// a place or an institution (`src/moderator/objects.tsv`: "That app is vermin", "the
    /// council is a nest of parasites") and no people (no identity term, slur or word for
    /// people). Default on.
    pub objects: bool,
}

impl Default for Policy {
    fn default() -> Policy {
        Policy {
            thresholds: [None; Label::COUNT],
            reject_at: 0.9,
            reasons: true,
            senses: true,
            group_insults: true,
            mentions: true,
            person_slurs: true,
            individual_attacks: true,
            objects: true,
        }
    }
}

impl Policy {
    /// Overrides one label's threshold; it must be in [0, 1].
    pub fn threshold(mut self, label: Label, p: f32) -> Result<Policy> {
        if !(0.0..=1.0).contains(&p) || p.is_nan() {
            return Err(Error::param(
                "threshold",
                format!("{label}={p} is not in [0, 1]"),
            ));
        }
        self.thresholds[label.index()] = Some(p);
        Ok(self)
    }

    /// Verdicts without reasons (see [`Policy::reasons`]).
    pub fn without_reasons(mut self) -> Policy {
        self.reasons = false;
        self
    }

    /// Verdicts that read every word as the model does, without the innocent-sense and
    /// self-description rule (see [`Policy::senses`]).
    pub fn without_senses(mut self) -> Policy {
        self.senses = false;
        self
    }

    /// Verdicts without the group-insult rule (see [`Policy::group_insults`]): identity_attack
    /// is the model's alone.
    pub fn without_group_insults(mut self) -> Policy {
        self.group_insults = false;
        self
    }

    /// Verdicts that score denied and named words as used (see [`Policy::mentions`]).
    pub fn without_mentions(mut self) -> Policy {
        self.mentions = false;
        self
    }

    /// Verdicts that leave ambiguous slurs to the model whatever their neighbours (see
    /// [`Policy::person_slurs`]).
    pub fn without_person_slurs(mut self) -> Policy {
        self.person_slurs = false;
        self
    }

    /// Verdicts that read dehumanising words said of things as used (see [`Policy::objects`]).
    pub fn without_objects(mut self) -> Policy {
        self.objects = false;
        self
    }

    /// Verdicts without the individual-attack rule (see [`Policy::individual_attacks`]).
    pub fn without_individual_attacks(mut self) -> Policy {
        self.individual_attacks = false;
        self
    }
}

struct Inner {
    /// Identifies the weights, for the per-thread word cache (unique per loaded model).
    id: u64,
    space: FeatureSpace,
    model: LinearModel,
    card: ModelCard,
    policy: Policy,
    /// Threshold per label in `Label::ALL` order (model's or overridden); labels the model
    /// lacks never flag.
    thresholds: [f32; Label::COUNT],
    /// Position of each `Label::ALL` label in the model, if it has it.
    slots: [Option<usize>; Label::COUNT],
    /// The bundle's slur floor, if it has one (`features::slur_floor`).
    floor: Option<SlurFloor>,
    /// The innocent-sense patterns per lexicon entry (`senses.rs`; shared by every moderator).
    senses: &'static senses::Table,
}

/// Scores comments. Cheap to clone (an `Arc`), `Send + Sync`: share one across threads.
///
/// ```no_run
/// let m = commentguard::Moderator::default_model()?;
/// let v = m.score("Thanks for the post, very helpful.");
/// assert_eq!(v.action, commentguard::Action::Allow);
/// # Ok::<(), commentguard::Error>(())
/// ```
#[derive(Clone)]
pub struct Moderator(Arc<Inner>);

impl std::fmt::Debug for Moderator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Moderator")
            .field("labels", &self.0.model.labels())
            .field("policy", &self.0.policy)
            .finish()
    }
}

/// Per thread: the extraction scratch, the word cache and the explained pieces' buffer.
#[derive(Default)]
struct PerThread {
    scratch: Scratch,
    cache: fast::WordCache,
    pieces: Vec<fast::Piece>,
}

/// Pieces kept between comments at most (48 bytes each): a huge comment's buffer is freed.
const KEEP_PIECES: usize = 1 << 16;

thread_local! {
    static SCRATCH: RefCell<PerThread> = RefCell::new(Default::default());
}

/// Source of [`Inner::id`]: every loaded model gets its own (0 is never used).
static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

#[cfg(has_default_model)]
static DEFAULT_BYTES: &[u8] =
    include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/models/default.cgm"));
#[cfg(not(has_default_model))]
static DEFAULT_BYTES: &[u8] = &[];

static DEFAULT: Lazy<std::result::Result<Moderator, String>> = Lazy::new(|| {
    if DEFAULT_BYTES.is_empty() {
        return Err(
            "this build has no default model (models/default.cgm was missing when it was compiled)"
                .into(),
        );
    }
    Bundle::from_bytes(DEFAULT_BYTES)
        .and_then(|b| Moderator::from_bundle(b, Policy::default()))
        .map_err(|e| format!("the built-in default model: {e}"))
});

impl Moderator {
    /// The shipped default model (compiled into the library, parsed once per process).
    pub fn default_model() -> Result<Moderator> {
        DEFAULT.clone().map_err(Error::model)
    }

    /// A moderator for a bundle file.
    pub fn load(path: impl AsRef<Path>, policy: Policy) -> Result<Moderator> {
        Moderator::from_bundle(Bundle::load(path)?, policy)
    }

    /// A moderator for a loaded bundle. The bundle's feature config is checked here.
    pub fn from_bundle(bundle: Bundle, policy: Policy) -> Result<Moderator> {
        let space = FeatureSpace::from_bundle_config(&bundle.feature_space, Lexicon::default())?;
        if space.dim() != bundle.model.n_buckets() {
            return Err(Error::model(format!(
                "the model has {} buckets but its feature config {}",
                bundle.model.n_buckets(),
                space.dim()
            )));
        }
        let slots = Label::ALL.map(|l| bundle.model.label_index(l));
        let thresholds = thresholds_in_force(&bundle.model, &slots, &policy);
        let floor = SlurFloor::of_bundle(&bundle)?;
        let senses = senses::Senses::builtin_table();
        Ok(Moderator(Arc::new(Inner {
            id: NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            space,
            model: bundle.model,
            card: bundle.card,
            policy,
            thresholds,
            slots,
            floor,
            senses,
        })))
    }

    /// The policy in force.
    pub fn policy(&self) -> &Policy {
        &self.0.policy
    }

    /// The same model with another policy.
    pub fn with_policy(&self, policy: Policy) -> Moderator {
        let thresholds = thresholds_in_force(&self.0.model, &self.0.slots, &policy);
        Moderator(Arc::new(Inner {
            // Same weights and features: the cached word sums stay valid.
            id: self.0.id,
            space: self.0.space.clone(),
            model: self.0.model.clone(),
            card: self.0.card.clone(),
            policy,
            thresholds,
            slots: self.0.slots,
            floor: self.0.floor.clone(),
            senses: self.0.senses,
        }))
    }

    /// Where this build computes other features than the ones the model was trained on, one
    /// sentence each; empty when they are the same. A model trained by an older (or newer)
    /// `commentguard` with other lexicon lists or feature rules still scores, but not exactly
    /// as its card's figures say: retrain it with this build's `commentguard train`. Worked
    /// out on each call (checksums of the lexicon lists), not at load.
    pub fn drift(&self) -> Vec<String> {
        self.0.space.drift(&self.0.card)
    }

    /// The model card of the bundle in use.
    pub fn card(&self) -> &ModelCard {
        &self.0.card
    }
    /// The linear model (weights, thresholds, calibrators).
    pub fn model(&self) -> &LinearModel {
        &self.0.model
    }
    /// The feature space.
    pub fn feature_space(&self) -> &FeatureSpace {
        &self.0.space
    }
    /// The threshold in force for `label` (infinite when the model lacks the label).
    pub fn threshold(&self, label: Label) -> f32 {
        self.0.thresholds[label.index()]
    }

    /// The slur floor that applies to the comment of this pass (`features::slur_floor`) and
    /// the slur's span, if the bundle has a floor and a slur label.
    ///
    /// An ambiguous slur read as said of a person (`Policy::person_slurs`, `persons.tsv`) gets
    /// the floor of its severity too, when the comment has no unambiguous one.
    fn floor_of(&self, sc: &Scratch) -> Option<(f32, Range<usize>)> {
        self.0.slots[Label::Slur.index()]?;
        let floor = self.0.floor.as_ref()?;
        if let Some((p, h)) = floor.for_comment(sc.hits(), sc.cues()) {
            return Some((p, h.original.clone()));
        }
        if !self.0.policy.person_slurs {
            return None;
        }
        let (hits, normalized, cues) = (sc.hits(), sc.normalized().as_str(), sc.cues());
        // A comment that is not plain may still leave a slur unframed (`negated.rs`).
        let plain = slur_floor::plain(cues);
        let framing = (!plain).then(|| negated::Framing::new(hits, normalized, cues));
        let unframed = |h: &&Hit| framing.as_ref().is_none_or(|f| f.unframed(h));
        if !plain {
            if let Some(h) = hits
                .iter()
                .filter(|h| slur_floor::unambiguous(h))
                .filter(unframed)
                .reduce(slur_floor::most_severe)
            {
                return Some((floor.floor(h.severity)?, h.original.clone()));
            }
        }
        let h = senses::Senses::persons_table()
            .fitting(hits, normalized)
            .filter(unframed)
            .reduce(slur_floor::most_severe)?;
        Some((floor.floor(h.severity)?, h.original.clone()))
    }

    /// The identity_attack floor (the label's threshold) that the group-insult rule
    /// (`groups.rs`) or, failing it, the individual-attack rule (`individuals.rs`) sets, and
    /// the span of the words in the original text, when the policy and the model have the
    /// rules' label and the comment of this pass says one.
    fn group_insult_of(
        &self,
        sc: &Scratch,
        own: &str,
        threat: bool,
    ) -> Option<(f32, Range<usize>)> {
        let policy = &self.0.policy;
        if !policy.group_insults && !policy.individual_attacks {
            return None;
        }
        self.0.slots[Label::IdentityAttack.index()]?;
        let (n, hits) = (sc.normalized(), sc.hits());
        let lexicon = self.0.space.lexicon();
        let (group, person) = (
            groups::Groups::builtin(),
            individuals::Individuals::builtin(),
        );
        let read_group = policy.group_insults && groups::Groups::reads(hits, n.as_str());
        let read_person = policy.individual_attacks && person.reads(hits, n.as_str());
        if !read_group && !read_person {
            return None;
        }
        // Both rules read the same word list, split once.
        let span = groups::with_words(n.as_str(), |words| {
            read_group
                .then(|| group.find_in(lexicon, hits, n, own, words, threat))
                .flatten()
                .or_else(|| {
                    read_person
                        .then(|| person.find_in(lexicon, hits, n, own, words))
                        .flatten()
                })
        })?;
        Some((
            self.0.thresholds[Label::IdentityAttack.index()],
            n.original_range(span),
        ))
    }

    /// Probabilities only (no explanation): the fast path (see `moderator/fast.rs`), with the
    /// slur floor applied as in a verdict.
    pub fn probabilities(&self, text: &str, ctx: &Context) -> [f32; Label::COUNT] {
        self.pass(text, ctx, false, |p, _, _, _| p)
    }

    /// One scoring pass over `text` (recording the explained pieces when `explain`), then
    /// `then` with the probabilities, what the group-insult rule raised (if it did), the
    /// pieces and the pass's scratch (normalised text, hits).
    fn pass<R>(
        &self,
        text: &str,
        ctx: &Context,
        explain: bool,
        then: impl FnOnce([f32; Label::COUNT], Option<Raised>, &[fast::Piece], &Scratch) -> R,
    ) -> R {
        let m = &self.0.model;
        let n = m.labels().len();
        let space = &self.0.space;
        SCRATCH.with(|s| {
            let t = &mut *s.borrow_mut();
            let (sc, cache) = (&mut t.scratch, &mut t.cache);
            cache.use_model(self.0.id);
            t.pieces.clear();
            let pieces = explain.then_some(&mut t.pieces);
            let raw = fast::score(space, m.raw_weights(), n, text, ctx, sc, cache, pieces);
            // A stacked model's calibrators also read the comment's cues.
            let cues = sc.cues().as_f64();
            let extra: &[f64] = if space.config().stacked { &cues } else { &[] };
            let mut logits = [0f32; Label::COUNT];
            m.logits_from_raw(&raw[..n], &mut logits[..n]);
            let mut out = [0f32; Label::COUNT];
            for l in Label::ALL {
                if let Some(i) = self.0.slots[l.index()] {
                    out[l.index()] = m.probability(i, logits[i], extra);
                }
            }
            if let Some((p, _)) = self.floor_of(&t.scratch) {
                let slur = &mut out[Label::Slur.index()];
                *slur = slur.max(p);
            }
            // The group-insult rule can only raise identity_attack to its threshold: not
            // looked for when the model already reaches it.
            let mut raised = None;
            let ia = Label::IdentityAttack.index();
            if out[ia] < self.0.thresholds[ia] {
                let th = Label::Threat.index();
                let threat = self.0.slots[th].is_some() && out[th] >= self.0.thresholds[th];
                if let Some((p, span)) = self.group_insult_of(&t.scratch, text, threat) {
                    raised = Some(Raised {
                        model: out[ia],
                        span,
                    });
                    out[ia] = p;
                }
            }
            let r = then(out, raised, &t.pieces, &t.scratch);
            if t.pieces.capacity() > KEEP_PIECES {
                t.pieces = Vec::new();
            }
            r
        })
    }

    /// Scores a lone comment's text.
    pub fn score(&self, text: &str) -> Verdict {
        self.score_with(text, &[], &Context::default())
    }

    /// Scores a reply with its parent's scores and its depth as context. Only a model trained
    /// with context slots (`FeatureConfig::context`) uses them; none is yet, so today this
    /// scores like [`score`](Self::score).
    pub fn score_reply(&self, text: &str, parent: &Verdict, depth: u32) -> Verdict {
        let ctx = Context {
            depth: depth.max(2),
            parent: Some(parent.scores),
        };
        self.score_with(text, &[], &ctx)
    }

    /// Scores a comment from a thread: the commenter's own words are scored, and quoted
    /// passages (`quotes`) are left out, so quoting abuse to condemn it is not abuse.
    pub fn score_comment(&self, comment: &Comment, ctx: &Context) -> Verdict {
        self.score_with(&comment.text, &comment.quotes, ctx)
    }

    /// Scores every comment of a thread; verdicts come back in walk order (`thread.walk()`),
    /// each comment's quoted passages left out of its own words and, with a model that has
    /// context slots, each reply scored with its parent's verdict as context. Comments of the same depth are
    /// scored in parallel (rayon), one depth after another; with a model that has no context
    /// slots (every model so far: `FeatureConfig::context`), all of them at once.
    pub fn score_thread(&self, thread: &Thread) -> Vec<Verdict> {
        self.score_thread_map(thread, |_, _, v| v)
    }

    /// Scores a thread as [`score_thread`](Self::score_thread) does (the same verdicts, in
    /// parallel the same way), but hands each verdict to `each` on the worker that scored it,
    /// with its position in walk order and its [`Visit`]; returns what `each` returns, in walk
    /// order. For callers that turn verdicts into output at once instead of keeping them all
    /// (the CLI renders its JSONL and CSV records this way, in parallel).
    pub fn score_thread_map<R: Send>(
        &self,
        thread: &Thread,
        each: impl Fn(usize, &Visit<'_>, Verdict) -> R + Sync,
    ) -> Vec<R> {
        let visits: Vec<Visit<'_>> = thread.walk().collect();
        let ctx = |v: &Visit<'_>, parent| Context {
            depth: v.depth,
            parent,
        };
        if !self.0.space.config().context {
            return visits
                .par_iter()
                .enumerate()
                .map(|(k, v)| each(k, v, self.score_comment(v.comment, &ctx(v, None))))
                .collect();
        }
        let max_depth = visits.iter().map(|v| v.depth).max().unwrap_or(0) as usize;
        let mut by_depth: Vec<Vec<usize>> = vec![Vec::new(); max_depth + 1];
        for (k, v) in visits.iter().enumerate() {
            by_depth[v.depth as usize].push(k);
        }
        let mut scores: Vec<Option<[f32; Label::COUNT]>> = vec![None; thread.len()];
        let mut out: Vec<Option<R>> = visits.iter().map(|_| None).collect();
        for level in by_depth.iter().filter(|l| !l.is_empty()) {
            let done: Vec<(usize, [f32; Label::COUNT], R)> = level
                .par_iter()
                .map(|&k| {
                    let v = &visits[k];
                    let verdict =
                        self.score_comment(v.comment, &ctx(v, v.parent.and_then(|p| scores[p])));
                    (k, verdict.scores, each(k, v, verdict))
                })
                .collect();
            for (k, p, r) in done {
                scores[visits[k].index] = Some(p);
                out[k] = Some(r);
            }
        }
        // Every visit is at some depth, so every slot was filled.
        out.into_iter().flatten().collect()
    }

    /// The full scoring path: own text (quotes blanked out, byte offsets kept), probabilities,
    /// flags, action, target and reasons.
    ///
    /// A comment is scored once and its lexicon hits decide whether quoted abuse (`own.rs`)
    /// or a homonym in its innocent sense (`senses.rs`) is blanked too; only then is it
    /// scored again.
    pub fn score_with(&self, text: &str, quotes: &[Range<usize>], ctx: &Context) -> Verdict {
        let own = own::blank_quotes(text, quotes);
        let explain = self.0.policy.reasons;
        let first = self.pass(&own, ctx, explain, |scores, raised, pieces, sc| {
            let blank: Vec<Range<usize>> = self
                .left_out_of(sc, &own)
                .into_iter()
                .map(|l| l.start..l.end)
                .collect();
            if blank.is_empty() {
                Ok(self.verdict(text, &own, scores, raised, pieces, sc))
            } else {
                Err(blank)
            }
        });
        match first {
            Ok(v) => v,
            Err(blank) => {
                let own = own::blank(&own, &blank, text);
                self.pass(&own, ctx, explain, |scores, raised, pieces, sc| {
                    self.verdict(text, &own, scores, raised, pieces, sc)
                })
            }
        }
    }

    /// What a pass over `own` (the comment's own words so far) says to leave out: abusive
    /// inline quotes (with a cue outside them) and, under the policy, words read in an
    /// innocent sense or as a self-description.
    fn left_out_of(&self, sc: &Scratch, own: &str) -> Vec<LeftOut> {
        let quotes = own::abusive_quotes(sc.hits(), own);
        let senses = if self.0.policy.senses {
            self.0.senses.innocent(sc.hits(), sc.normalized().as_str())
        } else {
            Vec::new()
        };
        let tag = |why: LeftOutWhy| {
            move |r: Range<usize>| LeftOut {
                start: r.start,
                end: r.end,
                why,
            }
        };
        let mut out: Vec<LeftOut> = quotes
            .into_iter()
            .map(tag(LeftOutWhy::QuotedAbuse))
            .collect();
        out.extend(senses.into_iter().map(tag(LeftOutWhy::Sense)));
        if self.0.policy.individual_attacks {
            let lexicon = self.0.space.lexicon();
            if let Some(q) = individuals::Individuals::builtin().answered_quote(lexicon, own) {
                out.push(tag(LeftOutWhy::QuotedAbuse)(q));
            }
        }
        if self.0.policy.objects {
            let things = objects::said_of_things(sc.hits(), sc.normalized().as_str());
            out.extend(things.into_iter().map(tag(LeftOutWhy::Thing)));
        }
        if self.0.policy.mentions {
            let found = mentions::mentioned(sc.hits(), sc.normalized().as_str(), own);
            if !found.is_empty() {
                // A mention inside a span already left out is not listed again. The spans so
                // far sorted by start, with the largest end up to each: a look-up per mention,
                // not a scan (5.4 MB of quoted abuse holds 600,000 of each).
                let mut taken: Vec<(usize, usize)> = out.iter().map(|l| (l.start, l.end)).collect();
                taken.sort_unstable();
                let mut reach = 0;
                let reach_to: Vec<usize> = taken
                    .iter()
                    .map(|&(_, e)| {
                        reach = reach.max(e);
                        reach
                    })
                    .collect();
                // Mentions come in the order of their hits (by start): one overlapping an
                // earlier listed mention is not listed either.
                let mut listed_to = 0;
                for (r, m) in found {
                    let before = taken.partition_point(|&(st, _)| st < r.end);
                    if (before > 0 && reach_to[before - 1] > r.start) || listed_to > r.start {
                        continue;
                    }
                    listed_to = listed_to.max(r.end);
                    let why = match m {
                        mentions::Mention::Denied => LeftOutWhy::Denied,
                        mentions::Mention::Named => LeftOutWhy::Named,
                    };
                    out.push(tag(why)(r));
                }
            }
        }
        out
    }

    /// The spans of `text` that scoring it as a lone comment leaves out of the commenter's
    /// own words, and why (what [`score`](Self::score) does with them, for `explain`):
    /// quotation marks around abuse in a comment that condemns or reports it, and, as the
    /// policy says, words read in an innocent sense or as a self-description
    /// (`Policy::senses`), dehumanising words said of things (`Policy::objects`) and denied
    /// or named words (`Policy::mentions`).
    pub fn left_out(&self, text: &str) -> Vec<LeftOut> {
        self.pass(text, &Context::default(), false, |_, _, _, sc| {
            self.left_out_of(sc, text)
        })
    }

    /// The verdict on `text` from the pass over its own words `own`.
    fn verdict(
        &self,
        text: &str,
        own: &str,
        scores: [f32; Label::COUNT],
        raised: Option<Raised>,
        pieces: &[fast::Piece],
        sc: &Scratch,
    ) -> Verdict {
        let mut flags: Vec<Label> = Label::ALL
            .iter()
            .copied()
            .filter(|l| scores[l.index()] >= self.0.thresholds[l.index()])
            .collect();
        // Anything flagged is toxic.
        if !flags.is_empty() && !flags.contains(&Label::Toxic) && self.0.slots[0].is_some() {
            flags.insert(0, Label::Toxic);
        }
        let severe = flags.iter().any(|l| {
            (l.is_hateful() || *l == Label::Threat) && scores[l.index()] >= self.0.policy.reject_at
        });
        let action = if flags.is_empty() {
            Action::Allow
        } else if severe {
            Action::Reject
        } else {
            Action::Review
        };
        let (reasons, target) = if flags.is_empty() {
            (Vec::new(), None)
        } else if !self.0.policy.reasons {
            (Vec::new(), target(sc.hits(), own))
        } else {
            let mut reasons = reasons::reasons(
                &self.0.model,
                &self.0.slots,
                pieces,
                sc.normalized(),
                text,
                &flags,
            );
            // The pass raised the slur score to the slur floor where one applies; when the
            // floor set it, the slur is the first reason for `slur`.
            if flags.contains(&Label::Slur) {
                let slur = scores[Label::Slur.index()];
                if let Some((p, span)) = self.floor_of(sc).filter(|&(p, _)| p >= slur) {
                    reasons::floor_reason(&mut reasons, text, Label::Slur, span, logit(p));
                }
            }
            // When the group-insult rule raised identity_attack, the insult is its first
            // reason, weighted by how far the rule raised the logit.
            if let Some(r) = raised {
                let p = scores[Label::IdentityAttack.index()];
                let w = logit(p) - logit(r.model);
                reasons::floor_reason(&mut reasons, text, Label::IdentityAttack, r.span, w);
            }
            (reasons, target(sc.hits(), own))
        };
        Verdict {
            scores,
            flags,
            action,
            target,
            reasons,
        }
    }
}

/// What the group-insult rule did in a pass: the model's own identity_attack probability,
/// which the rule raised to the threshold, and the insult's span in the original text.
struct Raised {
    model: f32,
    span: Range<usize>,
}

/// The log-odds of `p`, kept finite.
fn logit(p: f32) -> f32 {
    let p = p.clamp(1e-6, 1.0 - 1e-6);
    (p / (1.0 - p)).ln()
}

/// The target of a flagged comment: the group of an identity term or slur in it, else
/// "individual" for second-person insults, unless the second person is a group ("you
/// people", "your kind", "you lot": a group we cannot name, so no target).
fn target(hits: &[crate::lexicon::Hit], own: &str) -> Option<String> {
    hits.iter()
        .find(|h| {
            matches!(h.category, Category::IdentityTerm | Category::Slur) && h.group.is_some()
        })
        .and_then(|h| h.group.map(|g| g.name().to_string()))
        .or_else(|| {
            let lower = own.to_lowercase();
            let second = |w: &str| matches!(w, "you" | "your" | "you're" | "u" | "ur");
            let (mut addressed, mut prev) = (false, "");
            for w in crate::text::words(&lower).map(|w| &lower[w]) {
                if second(prev) && matches!(w, "people" | "lot" | "kind" | "lots" | "types") {
                    return None;
                }
                addressed |= second(w);
                prev = w;
            }
            addressed.then(|| "individual".to_string())
        })
}

/// Threshold per label in `Label::ALL` order: the policy's override, else the model's own;
/// infinite (never flags) for labels the model lacks.
fn thresholds_in_force(
    model: &LinearModel,
    slots: &[Option<usize>; Label::COUNT],
    policy: &Policy,
) -> [f32; Label::COUNT] {
    Label::ALL.map(|l| match slots[l.index()] {
        Some(i) => policy.thresholds[l.index()].unwrap_or(model.thresholds()[i]),
        None => f32::INFINITY,
    })
}

#[cfg(test)]
mod tests;
