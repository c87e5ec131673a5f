#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| blatt_fuzz::slug(data));
