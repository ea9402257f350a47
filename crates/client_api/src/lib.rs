//! client_api
