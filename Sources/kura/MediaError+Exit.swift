import KuraMedia

extension MediaError: UserFacingError {
    var userMessage: String { message }
    var exitCode: ExitStatus { .failure }
}
