use std::process::ExitCode;

fn main() -> ExitCode {
    ExitCode::from(ft::main_exit_code())
}

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
