//! The YAML writer (being written; see the module docs of `yaml`).
