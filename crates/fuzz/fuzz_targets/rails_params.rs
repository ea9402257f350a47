//! Rails-style parameters (`a[b][0][c]=1`) as clients send them in query strings and form
//! bodies, and request bodies by content type. Nothing may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use passage_client_api::params;

fuzz_target!(|data: &[u8]| {
    let _ = params::from_pairs(url::form_urlencoded::parse(data));
    let _ = params::parse_body("application/x-www-form-urlencoded", data);
    let _ = params::parse_body("application/json", data);
});
