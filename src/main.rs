use std::process::ExitCode;

fn main() -> ExitCode {
    ExitCode::from(ft::main_exit_code())
}
