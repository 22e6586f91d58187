//! The literal prefilter: finds the few lines worth a regex in megabytes of
//! SIP traffic.
//!
//! aho-corasick's SIMD "Teddy" searcher is case-sensitive, and its
//! ASCII-case-insensitive automaton runs a byte at a time (about 5x slower
//! on this workload). So the haystack is folded first, 64 KiB at a time
//! into a cache-resident scratch buffer, with `b | 0x20` (which lowercases
//! ASCII letters), and Teddy searches the folded copy for the folded
//! literals. The fold also maps a few non-letters onto others (`\r` onto
//! `-`, NUL onto space), so every hit is verified on the original bytes.
//!
//! To learn *every* literal on a line (rules are picked by literal), the
//! search restarts one byte after each hit, and a hit also implies the
//! literals that are prefixes of it (leftmost-longest reports only the
//! longest of several literals starting at one position).

use aho_corasick::packed::{self, MatchKind as PackedKind};
use aho_corasick::{AhoCorasick, AhoCorasickKind, Input, MatchKind, Span};

/// Bytes folded at a time: small enough to stay in L2 with its source.
const BLOCK: usize = 64 * 1024;

/// Which rules a line may match, as bits of rule indices.
pub(crate) type RuleMask = u128;

/// A line holding at least one literal, and the rules those literals own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Candidate {
    /// Start of the line (relative to the searched slice).
    pub start: usize,
    /// End of the line, excluding its `\n`.
    pub end: usize,
    pub mask: RuleMask,
}

enum Engine {
    Folded(packed::Searcher),
    Automaton(AhoCorasick),
    Nothing,
}

pub(crate) struct LiteralSet {
    /// ASCII-lowercased literals.
    lits: Vec<Vec<u8>>,
    /// The rules owning each literal.
    owners: Vec<RuleMask>,
    /// For each literal, the other literals that are (folded) prefixes of it.
    prefixes: Vec<Vec<usize>>,
    max_len: usize,
    engine: Engine,
}

fn fold(b: u8) -> u8 {
    b | 0x20
}

impl LiteralSet {
    /// `items` pairs a literal with the index of the rule owning it.
    pub(crate) fn new(items: &[(String, usize)]) -> LiteralSet {
        let mut lits: Vec<Vec<u8>> = Vec::new();
        let mut owners: Vec<RuleMask> = Vec::new();
        for (lit, rule) in items {
            let low = lit.as_bytes().to_ascii_lowercase();
            if low.is_empty() || *rule >= 128 {
                continue;
            }
            match lits.iter().position(|l| *l == low) {
                Some(i) => owners[i] |= 1u128 << rule,
                None => {
                    lits.push(low);
                    owners.push(1u128 << rule);
                }
            }
        }
        let folded: Vec<Vec<u8>> = lits
            .iter()
            .map(|l| l.iter().map(|&b| fold(b)).collect())
            .collect();
        let prefixes = folded
            .iter()
            .enumerate()
            .map(|(i, li)| {
                folded
                    .iter()
                    .enumerate()
                    .filter(|&(j, lj)| j != i && lj.len() <= li.len() && li.starts_with(lj))
                    .map(|(j, _)| j)
                    .collect()
            })
            .collect();
        let max_len = lits.iter().map(Vec::len).max().unwrap_or(0);
        let engine = if lits.is_empty() {
            Engine::Nothing
        } else if let Some(s) = packed::Config::new()
            .match_kind(PackedKind::LeftmostLongest)
            .builder()
            .extend(&folded)
            .build()
        {
            Engine::Folded(s)
        } else {
            // No SIMD Teddy here (other CPU, or too many literals): the
            // automaton is slower but exact, and reports overlaps itself.
            match AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::Standard)
                .kind(Some(AhoCorasickKind::DFA))
                .build(&lits)
                .or_else(|_| {
                    AhoCorasick::builder()
                        .ascii_case_insensitive(true)
                        .match_kind(MatchKind::Standard)
                        .build(&lits)
                }) {
                Ok(ac) => Engine::Automaton(ac),
                Err(_) => Engine::Nothing,
            }
        };
        LiteralSet {
            lits,
            owners,
            prefixes,
            max_len,
            engine,
        }
    }

    fn verified(&self, hay: &[u8], p: usize, lit: usize) -> bool {
        let l = &self.lits[lit];
        hay.get(p..p + l.len())
            .is_some_and(|h| h.eq_ignore_ascii_case(l))
    }

    /// Every line of `hay` holding a literal within its first `max_line`
    /// bytes, in order, with the rules those literals own. `hay` must
    /// start at a line start.
    pub(crate) fn candidates(
        &self,
        hay: &[u8],
        max_line: usize,
        scratch: &mut Vec<u8>,
        out: &mut Vec<Candidate>,
    ) {
        out.clear();
        let mut lines = LineTracker {
            cur: None,
            floor: 0,
            resume: 0,
            max_line,
        };
        match &self.engine {
            Engine::Nothing => {}
            Engine::Automaton(ac) => {
                // Overlapping matches come in order of their end, so a
                // line's matches are together but their starts are not
                // sorted: a match past the cap says nothing of the next.
                for m in ac.find_overlapping_iter(Input::new(hay)) {
                    lines.hit(self, hay, m.start(), m.pattern().as_usize(), out);
                }
            }
            Engine::Folded(searcher) => {
                let overlap = self.max_len.saturating_sub(1);
                if scratch.len() < BLOCK + overlap {
                    scratch.resize(BLOCK + overlap, 0);
                }
                let mut blk = 0;
                while blk < hay.len() {
                    let blk_end = (blk + BLOCK).min(hay.len());
                    if lines.resume >= blk_end {
                        blk = blk_end;
                        continue;
                    }
                    let fold_end = (blk_end + overlap).min(hay.len());
                    let folded = &mut scratch[..fold_end - blk];
                    for (d, s) in folded.iter_mut().zip(&hay[blk..fold_end]) {
                        *d = fold(*s);
                    }
                    let folded = &scratch[..fold_end - blk];
                    let mut at = lines.resume.saturating_sub(blk);
                    while at < folded.len() {
                        let Some(m) = searcher.find_in(folded, Span::from(at..folded.len())) else {
                            break;
                        };
                        let p = blk + m.start();
                        if p >= blk_end {
                            break;
                        }
                        if !lines.hit(self, hay, p, m.pattern().as_usize(), out) {
                            // Past the retained length of an overlong line;
                            // hits come in order here, so skip the line.
                            lines.resume = lines.cur.map_or(p + 1, |c| c.end);
                        }
                        at = (m.start() + 1).max(lines.resume.saturating_sub(blk));
                    }
                    blk = blk_end;
                }
            }
        }
        lines.flush(out);
    }
}

struct LineTracker {
    cur: Option<Candidate>,
    /// No line of a later hit starts before this.
    floor: usize,
    /// The folded search skips to here (the rest of a line past `max_line`).
    resume: usize,
    max_line: usize,
}

impl LineTracker {
    /// Record a literal hit at `p`; false when it lies past the line cap.
    fn hit(
        &mut self,
        set: &LiteralSet,
        hay: &[u8],
        p: usize,
        lit: usize,
        out: &mut Vec<Candidate>,
    ) -> bool {
        let same_line = self.cur.is_some_and(|c| c.start <= p && p < c.end);
        if !same_line {
            self.flush(out);
            let floor = self.floor.min(p);
            let start = memchr::memrchr(b'\n', &hay[floor..p]).map_or(floor, |i| floor + i + 1);
            let end = memchr::memchr(b'\n', &hay[p..]).map_or(hay.len(), |i| p + i);
            self.cur = Some(Candidate {
                start,
                end,
                mask: 0,
            });
        }
        let Some(cur) = self.cur.as_mut() else {
            return true;
        };
        if p + set.lits[lit].len() > cur.start.saturating_add(self.max_line) {
            return false;
        }
        if set.verified(hay, p, lit) {
            cur.mask |= set.owners[lit];
        }
        for &j in &set.prefixes[lit] {
            if set.verified(hay, p, j) {
                cur.mask |= set.owners[j];
            }
        }
        true
    }

    fn flush(&mut self, out: &mut Vec<Candidate>) {
        if let Some(c) = self.cur.take() {
            self.floor = c.end + 1;
            if c.mask != 0 {
                out.push(c);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(lits: &[&str]) -> LiteralSet {
        let items: Vec<(String, usize)> = lits
            .iter()
            .enumerate()
            .map(|(i, l)| (l.to_string(), i))
            .collect();
        LiteralSet::new(&items)
    }

    fn find(s: &LiteralSet, hay: &[u8], max_line: usize) -> Vec<Candidate> {
        let mut scratch = Vec::new();
        let mut out = Vec::new();
        s.candidates(hay, max_line, &mut scratch, &mut out);
        out
    }

    #[test]
    fn finds_lines_case_insensitively() {
        let s = set(&["user-agent", "offline"]);
        let hay = b"a\nUSER-AGENT: x\nnothing\nOffLine and user-agent\nUser\r-agent\n";
        let c = find(&s, hay, 1 << 20);
        assert_eq!(c.len(), 2);
        assert_eq!(&hay[c[0].start..c[0].end], b"USER-AGENT: x");
        assert_eq!(c[0].mask, 0b01);
        assert_eq!(c[1].mask, 0b11);
    }

    #[test]
    fn fold_false_positives_are_verified_away() {
        // `\r` folds onto `-`, NUL onto space.
        let s = set(&["user-agent", "history spooler"]);
        let c = find(&s, b"user\ragent\nhistory\0spooler\n", 1 << 20);
        assert!(c.is_empty(), "{c:?}");
    }

    #[test]
    fn overlapping_and_prefix_literals_are_all_reported() {
        let s = set(&["offline", "offline message", "line mess"]);
        let c = find(&s, b"xx OFFLINE MESSAGE yy\n", 1 << 20);
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].mask, 0b111);
    }

    #[test]
    fn hits_past_the_line_cap_are_ignored() {
        let s = set(&["needle"]);
        let mut hay = vec![b'x'; 100];
        hay.extend_from_slice(b"needle\nneedle\n");
        let c = find(&s, &hay, 50);
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].start, 107);
    }

    #[test]
    fn literal_across_a_fold_block_boundary() {
        let s = set(&["exchange.asmx"]);
        for shift in 0..20 {
            let mut hay = vec![b'a'; BLOCK - 10 + shift];
            hay.extend_from_slice(b"Exchange.asmx\n");
            let c = find(&s, &hay, usize::MAX);
            assert_eq!(c.len(), 1, "shift {shift}");
        }
    }

    #[test]
    fn automaton_fallback_agrees() {
        let s = set(&["offline", "offline message", "user-agent"]);
        let items: Vec<(String, usize)> = ["offline", "offline message", "user-agent"]
            .iter()
            .enumerate()
            .map(|(i, l)| (l.to_string(), i))
            .collect();
        let mut ac = LiteralSet::new(&items);
        ac.engine = Engine::Automaton(
            AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .build(&ac.lits)
                .unwrap(),
        );
        let hay = b"x\nOffline Message\nuser-agent offline\n\nnone\n";
        assert_eq!(find(&s, hay, 1 << 20), find(&ac, hay, 1 << 20));
    }
}
