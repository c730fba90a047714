#![no_main]
//! Any `.ft/cache` (raw, or a body with a valid checksum) is a cache or an
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
    for bytes in [data.to_vec(), framed(data)] {
        let mut cache = Cache::from_bytes(Path::new(".ft/cache"), 0, &bytes);
        for name in ["a", "b", "contoso"] {
            let _ = cache.take(name, &stamp, Path::new("engagements/x.toml"));
        }
        let _ = cache.leftovers();
    }
});
