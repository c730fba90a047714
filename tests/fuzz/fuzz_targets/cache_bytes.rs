#![no_main]
//! Any `.ft/cache` (raw, or an index with a valid checksum) is a cache or an
//! empty one; taking entries from it never panics.

use std::path::Path;

use ft::engagement::cache::{Cache, Stamp, framed};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let stamp = Stamp {
        size: 1,
        mtime_ns: 0,
        ctime_ns: 0,
        ino: 1,
        dev: 1,
    };
    // The first byte says where the index ends and the engagements begin.
    let split = data.first().map_or(0, |&b| usize::from(b).min(data.len() - 1));
    let (index, bodies) = data.get(1..).unwrap_or_default().split_at(split.min(data.len().saturating_sub(1)));
    for bytes in [data.to_vec(), framed(index, bodies)] {
        let mut cache = Cache::from_bytes(Path::new(".ft/cache"), 0, &bytes);
        for name in ["a", "b", "contoso"] {
            let _ = cache.take(name, &stamp, Path::new("engagements/x.toml"));
        }
        let _ = cache.leftovers();
    }
});
