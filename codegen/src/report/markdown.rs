pub fn markdown(_report: &super::Report) -> String { String::new() }
