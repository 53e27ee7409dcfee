//! Integration tests: the whole portal (router, layers, server functions, database) in
//! process, on SQLite and on a throwaway PostgreSQL.

mod support;

mod first_admin_setup;
mod security_layers;
mod staff_sign_in;
mod storage;
