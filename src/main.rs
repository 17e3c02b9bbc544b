//! The `commentguard` command-line tool: parses arguments and calls the library.

mod cli;

fn main() {
    std::process::exit(cli::main());
}
