//! The raw engagement read straight from the parsed table, without serde.
//!
//! Deserializing through serde costs about a third of a cold load: each
//! `Spanned` goes through a map of its own, and each date is written out as
//! text and parsed back. This walk builds the very values the serde derive
//! builds, spans included, for every file it fully understands. For
//! anything else (a value of an unexpected type, a key a nested table does
//! not know, a number that is not plain decimal, a float where a field's
//! value is kept) it gives `None` and the file goes through serde as
//! before, so what is said about a bad file does not change.
//!
//! Tables are visited in the parsed table's own order, the order serde
//! visits them in, so maps come out in the same order whether or not the
//! `toml` crate keeps the file's order.

use indexmap::IndexMap;
use toml::Spanned;
use toml::de::{DeInteger, DeString, DeTable, DeValue};
use toml::value::Datetime;

use super::{
    RawBlocker, RawDibs, RawEngagement, RawHealth, RawHold, RawMember, RawNote, RawTaskRecord,
};

/// A parsed value with its span.
type Value<'t, 'i> = &'t Spanned<DeValue<'i>>;

/// The key a table is given to stand for a date when serde passes dates
/// around as maps; a table holding it is read by serde as a date, so such a
/// table is left to serde.
const DATETIME_KEY: &str = "$__toml_private_datetime";

/// The raw engagement serde would deserialize from `root`, or `None` when
/// the walk cannot be sure it builds the same.
pub(super) fn raw_engagement(root: &DeTable<'_>) -> Option<RawEngagement> {
    let mut raw = RawEngagement::default();
    for (key, v) in root {
        match key.get_ref().as_ref() {
            "id" => raw.id = Some(spanned(v, string)?),
            "customer" => raw.customer = Some(spanned(v, string)?),
            "playbook" => raw.playbook = Some(spanned(v, string)?),
            "services" => raw.services = Some(spanned(v, |v| array(v, string))?),
            "seats" => raw.seats = Some(small_number(v)?),
            "active_users" => raw.active_users = Some(small_number(v)?),
            "status" => raw.status = Some(spanned(v, string)?),
            "fields" => raw.fields = entries(v, |v| spanned(v, value))?,
            "team" => raw.team = entries(v, |v| spanned(v, member))?,
            "milestones" => raw.milestones = entries(v, |v| spanned(v, datetime))?,
            "tasks" => raw.tasks = entries(v, |v| spanned(v, task))?,
            "cadences" => raw.cadences = entries(v, |v| array(v, |d| spanned(d, datetime)))?,
            "dibs" => raw.dibs = dibs(v)?,
            "ssat" => raw.ssat = entries(v, boolean)?,
            "health" => raw.health = array(v, |h| spanned(h, health))?,
            "blockers" => raw.blockers = array(v, |b| spanned(b, blocker))?,
            "notes" => raw.notes = array(v, |n| spanned(n, note))?,
            "planned" => raw.planned = entries(v, |v| spanned(v, datetime))?,
            "holds" => raw.holds = array(v, |h| spanned(h, hold))?,
            "events" => raw.events = array(v, |e| spanned(e, plain_table))?,
            "handovers" => raw.handovers = array(v, |e| spanned(e, plain_table))?,
            // Serde skips a key the struct does not have, unless the value
            // cannot be read at all (an integer beyond 128 bits, a float
            // that overflows).
            _ => ignorable(v.get_ref()).then_some(())?,
        }
    }
    Some(raw)
}

/// A value with its span, as `Spanned<T>` deserializes.
fn spanned<T>(
    v: Value<'_, '_>,
    read: impl FnOnce(Value<'_, '_>) -> Option<T>,
) -> Option<Spanned<T>> {
    Some(Spanned::new(v.span(), read(v)?))
}

/// A string, owned.
fn string(v: Value<'_, '_>) -> Option<String> {
    match v.get_ref() {
        DeValue::String(s) => Some(s.as_ref().to_owned()),
        _ => None,
    }
}

/// `true` or `false`.
fn boolean(v: Value<'_, '_>) -> Option<bool> {
    match v.get_ref() {
        DeValue::Boolean(b) => Some(*b),
        _ => None,
    }
}

/// A date as serde gives it, which writes the parsed date out and parses it
/// back: the same date for any the TOML parser produces (the tests check
/// it), so it is taken as it is.
fn datetime(v: Value<'_, '_>) -> Option<Datetime> {
    match v.get_ref() {
        DeValue::Datetime(d) if d.date.is_some() || d.time.is_some() => Some(*d),
        _ => None,
    }
}

/// Plain decimal digits that fit a `u32` (`seats = 40`); anything else
/// (`1_000`, `0x28`, `-1`, a float) is left to serde.
fn small_number(v: Value<'_, '_>) -> Option<u32> {
    match v.get_ref() {
        DeValue::Integer(n) if n.radix() == 10 && all_digits(n.as_str()) => n.as_str().parse().ok(),
        _ => None,
    }
}

/// Plain decimal digits, with a minus sign or not, that fit an `i64`
/// (what serde makes a `toml::Value::Integer` of).
fn plain_integer(n: &DeInteger<'_>) -> Option<i64> {
    let s = n.as_str();
    let digits = s.strip_prefix('-').unwrap_or(s);
    (n.radix() == 10 && all_digits(digits)).then(|| s.parse().ok())?
}

/// Whether `s` is one or more ASCII digits and nothing else.
fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// The entries of a table, keyed with their spans, in the table's order
/// (the order serde visits them in).
fn entries<T>(
    v: Value<'_, '_>,
    read: impl Fn(Value<'_, '_>) -> Option<T>,
) -> Option<IndexMap<Spanned<String>, T>> {
    let DeValue::Table(t) = v.get_ref() else {
        return None;
    };
    let mut out = IndexMap::with_capacity(t.len());
    for (k, v) in t {
        out.insert(key(k), read(v)?);
    }
    Some(out)
}

/// A key, owned, with its span (as serde gives a `Spanned<String>` key).
fn key(k: &Spanned<DeString<'_>>) -> Spanned<String> {
    Spanned::new(k.span(), k.get_ref().as_ref().to_owned())
}

/// Every element of an array, each read by `read`.
fn array<T>(v: Value<'_, '_>, read: impl Fn(Value<'_, '_>) -> Option<T>) -> Option<Vec<T>> {
    match v.get_ref() {
        DeValue::Array(a) => a.iter().map(read).collect(),
        _ => None,
    }
}

/// The values of a table under the `N` keys a struct has, by position;
/// `None` when the value is not a table or has any other key.
fn slots<'t, 'i, const N: usize>(
    v: Value<'t, 'i>,
    names: [&str; N],
) -> Option<[Option<Value<'t, 'i>>; N]> {
    let DeValue::Table(t) = v.get_ref() else {
        return None;
    };
    let mut out = [None; N];
    for (k, v) in t {
        let i = names.iter().position(|n| *n == k.get_ref().as_ref())?;
        out[i] = Some(v);
    }
    Some(out)
}

/// An optional field: absent is `None`, present must read.
fn optional<T>(
    v: Option<Value<'_, '_>>,
    read: impl FnOnce(Value<'_, '_>) -> Option<T>,
) -> Option<Option<T>> {
    match v {
        None => Some(None),
        Some(v) => read(v).map(Some),
    }
}

/// A team entry: a name, or a table of exactly `person` and maybe `since`.
fn member(v: Value<'_, '_>) -> Option<RawMember> {
    if let DeValue::String(s) = v.get_ref() {
        return Some(RawMember::Person(s.as_ref().to_owned()));
    }
    let [person, since] = slots(v, ["person", "since"])?;
    Some(RawMember::Full {
        person: string(person?)?,
        since: optional(since, datetime)?,
    })
}

/// A `[tasks]` entry; `forced` is false when absent.
fn task(v: Value<'_, '_>) -> Option<RawTaskRecord> {
    let [done, skipped, reason, forced, note] =
        slots(v, ["done", "skipped", "reason", "forced", "note"])?;
    Some(RawTaskRecord {
        done: optional(done, datetime)?,
        skipped: optional(skipped, datetime)?,
        reason: optional(reason, string)?,
        forced: optional(forced, boolean)?.unwrap_or_default(),
        note: optional(note, string)?,
    })
}

/// The `[dibs]` table.
fn dibs(v: Value<'_, '_>) -> Option<RawDibs> {
    let [date, intent, business_reason, success_owner] =
        slots(v, ["date", "intent", "business_reason", "success_owner"])?;
    Some(RawDibs {
        date: optional(date, |d| spanned(d, datetime))?,
        intent: optional(intent, string)?,
        business_reason: optional(business_reason, string)?,
        success_owner: optional(success_owner, string)?,
    })
}

/// A `[[health]]` entry: `on` and `status` are required.
fn health(v: Value<'_, '_>) -> Option<RawHealth> {
    let [on, status, note] = slots(v, ["on", "status", "note"])?;
    Some(RawHealth {
        on: datetime(on?)?,
        status: string(status?)?,
        note: optional(note, string)?,
    })
}

/// A `[[blockers]]` entry: `opened` and `text` are required.
fn blocker(v: Value<'_, '_>) -> Option<RawBlocker> {
    let [opened, text, by, resolved] = slots(v, ["opened", "text", "by", "resolved"])?;
    Some(RawBlocker {
        opened: datetime(opened?)?,
        text: string(text?)?,
        by: optional(by, string)?,
        resolved: optional(resolved, datetime)?,
    })
}

/// A `[[holds]]` entry: `from` is required, `reason` is empty when absent.
fn hold(v: Value<'_, '_>) -> Option<RawHold> {
    let [from, to, reason, by, until] = slots(v, ["from", "to", "reason", "by", "until"])?;
    Some(RawHold {
        from: datetime(from?)?,
        to: optional(to, datetime)?,
        reason: optional(reason, string)?.unwrap_or_default(),
        by: optional(by, string)?,
        until: optional(until, datetime)?,
    })
}

/// A `[[notes]]` entry: `on` and `text` are required.
fn note(v: Value<'_, '_>) -> Option<RawNote> {
    let [on, by, text] = slots(v, ["on", "by", "text"])?;
    Some(RawNote {
        on: datetime(on?)?,
        by: optional(by, string)?,
        text: string(text?)?,
    })
}

/// A table as a `toml::Table` (an `[[events]]` entry).
fn plain_table(v: Value<'_, '_>) -> Option<toml::Table> {
    match v.get_ref() {
        DeValue::Table(t) => table_value(t),
        _ => None,
    }
}

/// A table as a `toml::Table`, each value as [`value`] reads it.
fn table_value(t: &DeTable<'_>) -> Option<toml::Table> {
    let mut out = toml::Table::new();
    for (k, v) in t {
        let k = k.get_ref().as_ref();
        if k == DATETIME_KEY {
            return None;
        }
        out.insert(k.to_owned(), value(v)?);
    }
    Some(out)
}

/// A value as a `toml::Value`: strings, plain integers, booleans, dates,
/// and arrays and tables of them. Floats are left to serde.
fn value(v: Value<'_, '_>) -> Option<toml::Value> {
    Some(match v.get_ref() {
        DeValue::String(s) => toml::Value::String(s.as_ref().to_owned()),
        DeValue::Integer(n) => toml::Value::Integer(plain_integer(n)?),
        DeValue::Boolean(b) => toml::Value::Boolean(*b),
        DeValue::Datetime(_) => toml::Value::Datetime(datetime(v)?),
        DeValue::Array(a) => toml::Value::Array(a.iter().map(value).collect::<Option<_>>()?),
        DeValue::Table(t) => toml::Value::Table(table_value(t)?),
        DeValue::Float(_) => return None,
    })
}

/// Whether serde skips this value without an error: it reads every number
/// it skips, and fails on an integer beyond 128 bits or a float that
/// overflows (as `DeInteger` and `DeFloat` read them).
fn ignorable(v: &DeValue<'_>) -> bool {
    match v {
        DeValue::String(_) | DeValue::Boolean(_) | DeValue::Datetime(_) => true,
        DeValue::Integer(n) => {
            i128::from_str_radix(n.as_str(), n.radix()).is_ok()
                || u128::from_str_radix(n.as_str(), n.radix()).is_ok()
        }
        DeValue::Float(f) => f
            .as_str()
            .parse::<f64>()
            .is_ok_and(|x| !x.is_infinite() || f.as_str().contains("inf")),
        DeValue::Array(a) => a.iter().all(|e| ignorable(e.get_ref())),
        DeValue::Table(t) => t.values().all(|e| ignorable(e.get_ref())),
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;
    use std::path::{Path, PathBuf};

    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestRunner};
    use serde::Deserialize;

    use super::*;

    /// Whether the walk reads `text`, having checked that when it does it
    /// builds what serde builds, spans and order included (the `Debug` of a
    /// `Spanned` shows its span), and that it never reads what serde
    /// refuses. Text that is not TOML is not walked.
    fn walked(text: &str) -> bool {
        let Ok(table) = DeTable::parse(text) else {
            return false;
        };
        let fast = raw_engagement(table.get_ref());
        let slow = RawEngagement::deserialize(toml::de::Deserializer::from(table));
        match (&fast, &slow) {
            (Some(f), Ok(s)) => assert_eq!(format!("{f:#?}"), format!("{s:#?}"), "\n{text}"),
            (Some(_), Err(e)) => panic!("walked a file serde refuses ({e}):\n{text}"),
            (None, _) => {}
        }
        fast.is_some()
    }

    #[test]
    fn the_debug_of_a_spanned_value_shows_its_span() {
        let (a, b) = (Spanned::new(0..1, 5), Spanned::new(2..3, 5));
        assert_eq!(a, b, "equality ignores spans");
        assert_ne!(format!("{a:?}"), format!("{b:?}"));
        assert!(format!("{a:?}").contains("0..1"), "{a:?}");
    }

    #[test]
    fn every_demo_engagement_is_walked_as_serde_reads_it() {
        for today in [(2026, 11, 23), (2024, 2, 29), (2027, 1, 1)] {
            let today = chrono::NaiveDate::from_ymd_opt(today.0, today.1, today.2).unwrap();
            for (id, template) in crate::demo::ENGAGEMENTS {
                let text = crate::demo::expand(template, today);
                assert!(walked(&text), "{id} is left to serde");
            }
        }
    }

    fn toml_files(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                toml_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "toml") {
                out.push(path);
            }
        }
    }

    /// Every `.toml` file under `tests/` and `examples/` agrees with serde;
    /// the engagements among them (a top-level `customer` and `playbook`)
    /// are walked.
    #[test]
    fn the_repository_s_toml_files_are_walked_as_serde_reads_them() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        toml_files(&root.join("tests"), &mut files);
        toml_files(&root.join("examples"), &mut files);
        let mut engagements = 0;
        for path in &files {
            let mut text = std::fs::read_to_string(path).unwrap();
            // The fuzzing corpus holds demo templates, dates still to fill in.
            if text.contains("{d") {
                text = crate::demo::expand(
                    &text,
                    chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
                );
            }
            let lines: Vec<&str> = text.lines().collect();
            let has = |k: &str| lines.iter().any(|l| l.starts_with(&format!("{k} = ")));
            let was_walked = walked(&text);
            if has("customer") && has("playbook") {
                assert!(was_walked, "{} is left to serde", path.display());
                engagements += 1;
            }
        }
        assert!(engagements >= 10, "{engagements} engagement files found");
    }

    /// Files the walk reads: every kind of value in every place.
    const WALKED: &[&str] = &[
        "id = \"x\"\ncustomer = \"C \\\"q\\\" \\u00e9\\tx\"\nplaybook = 'lit\\eral'\nstatus = \"\"\"active\"\"\"\nservices = [\"AKS\", 'Networking']\nseats = 40\nactive_users = 0\n",
        "seats = 4294967295\nactive_users = 0\n",
        // The parser drops the underscores, serde reads the digits left.
        "seats = 1_000\n[fields]\nu = 1_000\n",
        "[[events]]\nat = 2026-11-20\nop = \"done\"\ntask = \"pm-intro\"\nby = \"alice\"\n\n[[events]]\nat = 2026-11-21T10:00:00Z\nop = \"assign\"\nrole = \"FE\"\nto = \"bob\"\ncount = 3\nneg = -3\nflags = [true, false]\nnested = { a = 1, b = [2026-01-01, 09:30] }\nempty = {}\n",
        "events = [{ at = 2026-11-20, op = \"x\" }, {}]\nhandovers = []\n",
        "[[handovers]]\non = 2026-11-20\nrole = \"FE\"\nto = \"bob\"\nfrom = \"alice\"\n",
        "[fields]\nsegment = \"S500\"\nseverity = 5\nneg = -4\nzero = -0\nflag = true\nwhen = 2026-11-20\nat = 2026-11-20T09:30:00+05:30\nlist = [\"a\", 1, [2]]\nsub = { x = \"y\", z = { w = 1 } }\nempty = []\nnothing = {}\n\"with space\" = \"v\"\n",
        "[team]\nFE = \"alice\"\nPM = { person = \"bob\" }\nFM = { person = \"carol\", since = 2026-11-01 }\nCLE = { since = 2026-11-01T10:00:00, person = \"\" }\n",
        "[tasks]\npm-intro = { done = 2026-11-20 }\ncustomer-contact = { skipped = 2026-11-21, reason = \"n/a\", forced = true, note = \"x\" }\nx = {}\ny = { forced = false }\nz = { done = 2026-11-20, skipped = 2026-11-21 }\n",
        "[milestones]\na = 2026-11-20\nb = 2026-11-20T09:30:00\nc = 2026-11-20T09:30:00Z\nd = 2026-11-20 09:30:00+05:30\ne = 2026-11-20T09:30:00-00:00\nf = 1979-05-27T00:32:00.999999\ng = 1979-05-27T00:32:00.000\nh = 09:30:15\ni = 09:30\nj = 2026-11-20T09:30\nk = 2026-11-20t09:30:00z\nl = 2024-02-29T23:59:60+23:59\nm = 2026-11-20T09:30:00.1234567891234-23:59\n",
        "services = []\nhealth = []\nblockers = []\nnotes = []\nholds = []\n[team]\n[tasks]\n[fields]\n[dibs]\n[milestones]\n[planned]\n[cadences]\n[ssat]\n",
        "milestones.opened = 2026-11-20\nteam.FE = \"alice\"\nteam.PM.person = \"bob\"\ndibs.intent = \"x\"\nfields.a.b = 1\n",
        "dibs = { date = 2026-12-01, intent = \"x\", business_reason = \"y\", success_owner = \"z\" }\nhealth = [{ on = 2026-11-20, status = \"green\" }]\n",
        "[[health]]\non = 2026-11-20\nstatus = \"green\"\nnote = \"ok\"\n\n[[health]]\nstatus = \"red\"\non = 2026-11-21T10:00:00Z\n",
        "[[blockers]]\nopened = 2026-11-20\ntext = \"t\"\n\n[[blockers]]\nopened = 2026-11-20\ntext = \"t\"\nby = \"a\"\nresolved = 2026-11-22\n",
        "[[notes]]\non = 2026-11-20\ntext = \"t\"\n\n[[notes]]\non = 2026-11-20\nby = \"b\"\ntext = \"t\"\n",
        "[[holds]]\nfrom = 2026-11-01\nto = 2026-11-05\nreason = \"x\"\nby = \"a\"\nuntil = 2026-11-10\n\n[[holds]]\nfrom = 2026-11-10\n",
        "[ssat]\na = true\nb = false\n[cadences]\nmonthly-checkin = [2026-11-03, 2026-12-01]\nempty = []\n[planned]\nend = 2027-01-01\n",
        "zeta = 1\n\"crm id\" = \"X\"\ninline = { a = 1 }\nowned.key = 2\nbig = 99999999999999999999\nhex = 0xDEAD_BEEF\nratio = 1.5\nnan = nan\ninf = -inf\nhuge = 1e300\nwhen = 2026-11-20\n[custom]\nanything = 1.5\n\"$__toml_private_datetime\" = \"x\"\n\n[[rows]]\nx = [1, 2.5, { y = 0b101 }]\n",
        "",
    ];

    /// Files left to serde, whether serde reads them or not.
    const LEFT_TO_SERDE: &[&str] = &[
        "seats = 0x10\n",
        "seats = 0o10\n",
        "seats = 0b10\n",
        "seats = +5\n",
        "seats = -1\n",
        "seats = 4294967296\n",
        "seats = 1.5\n",
        "active_users = \"40\"\n",
        "[fields]\nratio = 1.5\n",
        "[fields]\nhex = 0xff\n",
        "[fields]\nplus = +1\n",
        "[fields]\nbig = 9223372036854775808\n",
        "[fields]\nlist = [1, 2.0]\n",
        "[fields]\nd = { \"$__toml_private_datetime\" = \"2026-11-20\" }\n",
        "[fields]\nd = { a = { \"$__toml_private_datetime\" = \"x\" } }\n",
        "[[events]]\nat = 2026-11-20\nop = \"x\"\nratio = 0.5\n",
        "[[events]]\nat = 2026-11-20\nop = \"x\"\n\"$__toml_private_datetime\" = \"2026-11-20\"\n",
        "events = [1]\n",
        "events = { at = 2026-11-20 }\n",
        "handovers = [2026-11-20]\n",
        "[team]\nFE = { person = \"a\", snce = 2026-11-20 }\n",
        "[team]\nFE = 5\n",
        "[team]\nFE = { since = 2026-11-20 }\n",
        "[team]\nFE = { person = \"a\", since = \"2026-11-20\" }\n",
        "[team]\nFE = [\"alice\"]\n",
        "team = [\"alice\"]\n",
        "[tasks]\npm-intro = { done = 2026-11-20, whn = 1 }\n",
        "[tasks]\npm-intro = { forced = \"yes\" }\n",
        "[tasks]\npm-intro = { done = \"2026-11-20\" }\n",
        "[tasks]\npm-intro = 2026-11-20\n",
        "[dibs]\nsucess_owner = \"A\"\n",
        "dibs = [2026-12-01]\n",
        "[dibs]\ndate = \"2026-12-01\"\n",
        "[[health]]\non = 2026-11-20\n",
        "[[health]]\nstatus = \"green\"\n",
        "[[health]]\non = 2026-11-20\nstatus = \"green\"\nextra = 1\n",
        "[[blockers]]\nopened = 2026-11-20\n",
        "[[holds]]\nreason = \"x\"\n",
        "[[holds]]\nfrom = 2026-11-01\nreason = 1\n",
        "[[notes]]\non = 2026-11-20\n",
        "[[notes]]\non = \"2026-11-20\"\ntext = \"x\"\n",
        "health = { on = 2026-11-20, status = \"green\" }\n",
        "services = \"AKS\"\n",
        "services = [\"AKS\", 1]\n",
        "status = 1\n",
        "id = 1\n",
        "customer = [\"C\"]\n",
        "[milestones]\nopened = \"2026-11-20\"\n",
        "[milestones]\nopened = { \"$__toml_private_datetime\" = \"2026-11-20\" }\n",
        "[cadences]\nx = 2026-11-20\n",
        "[ssat]\na = 1\n",
        "custom = 99999999999999999999999999999999999999999\n",
        "custom = 1e999\n",
        "[custom]\nx = [1, [-1e999]]\n",
        "not toml = = 1\n",
    ];

    #[test]
    fn hand_written_files_are_walked_or_left_to_serde() {
        for text in WALKED {
            assert!(walked(text), "left to serde:\n{text}");
        }
        for text in LEFT_TO_SERDE {
            assert!(!walked(text), "walked:\n{text}");
        }
    }

    /// Why a table holding the date key is left to serde: serde reads it
    /// as a date.
    #[test]
    fn serde_reads_a_table_with_the_date_key_as_a_date() {
        let text = "[fields]\nd = { \"$__toml_private_datetime\" = \"2026-11-20\" }\n";
        let raw =
            RawEngagement::deserialize(toml::de::Deserializer::from(DeTable::parse(text).unwrap()))
                .unwrap();
        let (_, d) = raw.fields.first().unwrap();
        assert!(d.get_ref().is_datetime(), "{d:?}");
    }

    /// A value as written in TOML: a scalar's text, or an array or table
    /// of values.
    #[derive(Debug, Clone)]
    enum V {
        Text(String),
        Array(Vec<V>),
        Table(Vec<(String, V)>),
    }

    fn key_text(k: &str) -> String {
        if !k.is_empty()
            && k.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            k.to_string()
        } else {
            format!("\"{k}\"")
        }
    }

    impl V {
        fn inline(&self) -> String {
            match self {
                V::Text(t) => t.clone(),
                V::Array(a) => {
                    let items: Vec<String> = a.iter().map(V::inline).collect();
                    format!("[{}]", items.join(", "))
                }
                V::Table(t) => {
                    let items: Vec<String> = t
                        .iter()
                        .map(|(k, v)| format!("{} = {}", key_text(k), v.inline()))
                        .collect();
                    format!("{{ {} }}", items.join(", "))
                }
            }
        }
    }

    /// A file of top-level entries, each written as `key = value` (0), as
    /// a `[table]` or `[[array]]` when it is one (1), or as dotted keys (2).
    fn document(entries: &[(String, V, u8)]) -> String {
        let (mut head, mut tail) = (String::new(), String::new());
        for (k, v, style) in entries {
            let k = key_text(k);
            match (v, style) {
                (V::Table(t), 1) => {
                    tail.push_str(&format!("\n[{k}]\n"));
                    for (kk, vv) in t {
                        tail.push_str(&format!("{} = {}\n", key_text(kk), vv.inline()));
                    }
                }
                (V::Array(a), 1) if !a.is_empty() && a.iter().all(|e| matches!(e, V::Table(_))) => {
                    for e in a {
                        let V::Table(t) = e else { unreachable!() };
                        tail.push_str(&format!("\n[[{k}]]\n"));
                        for (kk, vv) in t {
                            tail.push_str(&format!("{} = {}\n", key_text(kk), vv.inline()));
                        }
                    }
                }
                (V::Table(t), 2) if !t.is_empty() => {
                    for (kk, vv) in t {
                        head.push_str(&format!("{k}.{} = {}\n", key_text(kk), vv.inline()));
                    }
                }
                _ => head.push_str(&format!("{k} = {}\n", v.inline())),
            }
        }
        head + &tail
    }

    fn text(s: &'static str) -> BoxedStrategy<String> {
        Just(s.to_string()).boxed()
    }

    fn date() -> BoxedStrategy<String> {
        let day = (1900u16..2100, 1u8..=12, 1u8..=28)
            .prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}"));
        let fraction = proptest::option::of("[0-9]{1,12}")
            .prop_map(|f| f.map(|f| format!(".{f}")).unwrap_or_default());
        let second = proptest::option::of((0u8..=60, fraction))
            .prop_map(|s| s.map(|(s, f)| format!(":{s:02}{f}")).unwrap_or_default());
        let time = (0u8..24, 0u8..60, second).prop_map(|(h, m, s)| format!("{h:02}:{m:02}{s}"));
        let offset = prop_oneof![
            text(""),
            text("Z"),
            text("z"),
            (prop_oneof![text("+"), text("-")], 0u8..24, 0u8..60)
                .prop_map(|(sign, h, m)| format!("{sign}{h:02}:{m:02}")),
        ];
        let separator = prop_oneof![text("T"), text("t"), text(" ")];
        prop_oneof![
            4 => day.clone(),
            2 => (day, separator, time.clone(), offset).prop_map(|(d, s, t, o)| format!("{d}{s}{t}{o}")),
            1 => time,
        ]
        .boxed()
    }

    fn string() -> BoxedStrategy<String> {
        prop_oneof![
            6 => "[a-zA-Z0-9 .-]{0,8}".prop_map(|s| format!("\"{s}\"")),
            1 => text("'lit\\eral'"),
            1 => text("\"esc \\\"q\\\" \\u00e9\\tx\""),
            1 => text("\"\"\"three quotes\"\"\""),
        ]
        .boxed()
    }

    fn flag() -> BoxedStrategy<String> {
        prop_oneof![text("true"), text("false")].boxed()
    }

    fn count() -> BoxedStrategy<String> {
        (0u32..100_000).prop_map(|n| n.to_string()).boxed()
    }

    /// Plain decimal integers, or when `odd` any TOML integer.
    fn integer(odd: bool) -> BoxedStrategy<String> {
        let plain = prop_oneof![
            6 => count(),
            1 => (-100i32..0).prop_map(|n| n.to_string()),
            1 => text("1_000"),
        ];
        if !odd {
            return plain.boxed();
        }
        prop_oneof![
            8 => plain,
            1 => prop_oneof![
                text("+4"), text("0x1F"), text("0o17"), text("0b101"), text("4294967296"),
                text("9223372036854775807"), text("9223372036854775808"),
                text("-9223372036854775808"), text("99999999999999999999999999999999999999999"),
            ],
        ]
        .boxed()
    }

    fn float() -> BoxedStrategy<String> {
        prop_oneof![
            text("1.5"),
            text("-0.0"),
            text("1e3"),
            text("1e999"),
            text("-1e999"),
            text("inf"),
            text("-inf"),
            text("nan"),
            text("1_000.5"),
            text("6.02e23"),
        ]
        .boxed()
    }

    /// Strings, integers, booleans and dates; when `wrong`, floats and
    /// integers of every form too.
    fn scalar(wrong: bool) -> BoxedStrategy<String> {
        let plain = prop_oneof![
            4 => string(),
            2 => integer(false),
            1 => flag(),
            3 => date(),
        ];
        if !wrong {
            return plain.boxed();
        }
        prop_oneof![40 => plain, 1 => integer(true), 1 => float()].boxed()
    }

    fn key(wrong: bool) -> BoxedStrategy<String> {
        let plain = prop_oneof![
            6 => "[a-z][a-z0-9-]{0,5}",
            1 => text("crm id"),
            2 => prop_oneof![text("at"), text("op"), text("by"), text("role"), text("FE")],
        ];
        if !wrong {
            return plain.boxed();
        }
        prop_oneof![60 => plain, 1 => text("$__toml_private_datetime")].boxed()
    }

    /// Entries with their keys made unique, the first kept.
    fn unique(entries: Vec<(String, V)>) -> Vec<(String, V)> {
        let mut seen = std::collections::HashSet::new();
        entries
            .into_iter()
            .filter(|(k, _)| seen.insert(k.clone()))
            .collect()
    }

    fn any(wrong: bool) -> BoxedStrategy<V> {
        scalar(wrong)
            .prop_map(V::Text)
            .prop_recursive(2, 12, 3, move |inner| {
                prop_oneof![
                    proptest::collection::vec(inner.clone(), 0..3).prop_map(V::Array),
                    proptest::collection::vec((key(wrong), inner), 0..3)
                        .prop_map(|e| V::Table(unique(e))),
                ]
            })
            .boxed()
    }

    /// What the loader reads there, or when `wrong` now and then anything
    /// at all.
    fn mostly(good: BoxedStrategy<V>, wrong: bool) -> BoxedStrategy<V> {
        if !wrong {
            return good;
        }
        prop_oneof![60 => good, 1 => any(true)].boxed()
    }

    /// A table of some of `fields` (always those named with a leading `!`,
    /// unless `wrong`); when `wrong`, now and then with a key of its own.
    fn record(fields: Vec<(&'static str, BoxedStrategy<V>)>, wrong: bool) -> BoxedStrategy<V> {
        let known: Vec<BoxedStrategy<Option<(String, V)>>> = fields
            .into_iter()
            .map(|(k, s)| {
                let (k, p) = match k.strip_prefix('!') {
                    Some(k) if wrong => (k, 0.97),
                    Some(k) => return s.prop_map(move |v| Some((k.to_string(), v))).boxed(),
                    None => (k, 0.6),
                };
                proptest::option::weighted(p, s)
                    .prop_map(move |v| v.map(|v| (k.to_string(), v)))
                    .boxed()
            })
            .collect();
        let extra = if wrong {
            proptest::option::weighted(0.03, (key(true), any(true))).boxed()
        } else {
            Just(None).boxed()
        };
        let table = (known, extra).prop_map(|(known, extra)| {
            V::Table(unique(known.into_iter().flatten().chain(extra).collect()))
        });
        mostly(table.boxed(), wrong)
    }

    /// The generators of a file's values: right, or when `wrong` now and
    /// then of the wrong type or shape.
    #[derive(Clone, Copy)]
    struct Values {
        wrong: bool,
    }

    impl Values {
        fn scalar(self, s: BoxedStrategy<String>) -> BoxedStrategy<V> {
            mostly(s.prop_map(V::Text).boxed(), self.wrong)
        }

        fn string(self) -> BoxedStrategy<V> {
            self.scalar(string())
        }

        fn date(self) -> BoxedStrategy<V> {
            self.scalar(date())
        }

        fn table_of(self, entry: BoxedStrategy<V>) -> BoxedStrategy<V> {
            let table = proptest::collection::vec((key(self.wrong), entry), 0..4)
                .prop_map(|e| V::Table(unique(e)));
            mostly(table.boxed(), self.wrong)
        }

        fn array_of(self, element: BoxedStrategy<V>) -> BoxedStrategy<V> {
            let array = proptest::collection::vec(element, 0..3).prop_map(V::Array);
            mostly(array.boxed(), self.wrong)
        }

        fn record(self, fields: &[&'static str]) -> BoxedStrategy<V> {
            let typed = fields
                .iter()
                .map(|&f| {
                    let s = match f.trim_start_matches('!') {
                        "since" | "done" | "skipped" | "date" | "on" | "opened" | "resolved"
                        | "from" | "to" | "until" => self.date(),
                        "forced" => self.scalar(flag()),
                        _ => self.string(),
                    };
                    (f, s)
                })
                .collect();
            record(typed, self.wrong)
        }

        /// The top-level keys the loader reads, each with what it holds.
        fn top_level(self) -> Vec<(&'static str, BoxedStrategy<V>)> {
            let member = mostly(
                prop_oneof![
                    string().prop_map(V::Text),
                    self.record(&["!person", "since"])
                ]
                .boxed(),
                self.wrong,
            );
            let task = self.record(&["done", "skipped", "reason", "forced", "note"]);
            let dibs = self.record(&["date", "intent", "business_reason", "success_owner"]);
            let seats = || self.scalar(if self.wrong { integer(true) } else { count() });
            let event = || self.array_of(self.table_of(any(self.wrong)));
            vec![
                ("id", self.string()),
                ("customer", self.string()),
                ("playbook", self.string()),
                ("status", self.string()),
                ("services", self.array_of(self.string())),
                ("seats", seats()),
                ("active_users", seats()),
                ("fields", self.table_of(any(self.wrong))),
                ("team", self.table_of(member)),
                ("milestones", self.table_of(self.date())),
                ("planned", self.table_of(self.date())),
                ("tasks", self.table_of(task)),
                ("cadences", self.table_of(self.array_of(self.date()))),
                ("dibs", dibs),
                ("ssat", self.table_of(self.scalar(flag()))),
                (
                    "health",
                    self.array_of(self.record(&["!on", "!status", "note"])),
                ),
                (
                    "blockers",
                    self.array_of(self.record(&["!opened", "!text", "by", "resolved"])),
                ),
                ("notes", self.array_of(self.record(&["!on", "by", "!text"]))),
                (
                    "holds",
                    self.array_of(self.record(&["!from", "to", "reason", "by", "until"])),
                ),
                ("events", event()),
                ("handovers", event()),
            ]
        }

        /// Some of the loader's keys and some of one's own, in any order,
        /// each with the style it is written in.
        fn file(self) -> impl Strategy<Value = Vec<(String, V, u8)>> {
            let top_level = self.top_level();
            let names: Vec<&str> = top_level.iter().map(|(k, _)| *k).collect();
            let known: Vec<_> = top_level
                .into_iter()
                .map(|(k, s)| {
                    proptest::option::weighted(0.5, (s, 0u8..3))
                        .prop_map(move |e| e.map(|(v, style)| (k.to_string(), v, style)))
                        .boxed()
                })
                .collect();
            // A key of one's own is never one the loader reads: `id = 0`
            // is a wrong file, not a right one with a key of its own.
            let own_key = key(self.wrong).prop_filter("a key the loader reads", move |k| {
                !names.contains(&k.as_str())
            });
            let own = proptest::collection::vec((own_key, any(self.wrong), 0u8..3), 0..3);
            (known, own)
                .prop_map(|(known, own)| {
                    let mut seen = std::collections::HashSet::new();
                    known
                        .into_iter()
                        .flatten()
                        .chain(own)
                        .filter(|(k, _, _)| seen.insert(k.clone()))
                        .collect::<Vec<_>>()
                })
                .prop_shuffle()
        }
    }

    /// Walks `cases` random files, checking each against serde; how many
    /// were walked, left to serde, and not TOML.
    fn random_files(values: Values, cases: u32) -> (u32, u32, u32) {
        let mut runner = TestRunner::new(Config {
            cases,
            failure_persistence: None,
            ..Config::default()
        });
        let (walks, left, not_toml) = (Cell::new(0), Cell::new(0), Cell::new(0));
        runner
            .run(&values.file(), |entries| {
                let text = document(&entries);
                let count = if DeTable::parse(&text).is_err() {
                    &not_toml
                } else if walked(&text) {
                    &walks
                } else {
                    prop_assert!(values.wrong, "a right file left to serde:\n{}", text);
                    &left
                };
                count.set(count.get() + 1);
                Ok(())
            })
            .unwrap();
        (walks.get(), left.get(), not_toml.get())
    }

    /// Random files with every value of the right type are all walked, as
    /// serde reads them.
    #[test]
    fn random_right_files_are_walked_as_serde_reads_them() {
        let (walks, _, not_toml) = random_files(Values { wrong: false }, 600);
        assert_eq!((walks, not_toml), (600, 0));
    }

    /// Random files with now and then a value of the wrong type or a key a
    /// table does not have: those walked are read as serde reads them, the
    /// rest are left to serde, and both happen often.
    #[test]
    fn random_wrong_files_are_walked_as_serde_reads_them_or_left_to_serde() {
        let (walks, left, not_toml) = random_files(Values { wrong: true }, 1000);
        assert!(
            walks >= 150 && left >= 150,
            "walked {walks}, left to serde {left}, not TOML {not_toml}"
        );
    }

    proptest! {
        /// Serde hands a date over as its text, parsed again; the walk
        /// hands it over as parsed, the same value.
        #[test]
        fn a_date_written_out_reads_back_the_same(s in date()) {
            if let Ok(d) = s.parse::<Datetime>() {
                prop_assert_eq!(d.to_string().parse::<Datetime>().ok(), Some(d));
            }
        }
    }
}
