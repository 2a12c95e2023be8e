//! Go's `fmt` formatting of template values (`printf`, `print`, `println`, `%v`).
