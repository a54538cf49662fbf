import KitModel
/// Turns a template error into a stack error at the template's own file, line and column.
package enum TemplateLocation {
    /// The stack error for `error` raised by a template that starts at `start` of `file` (`start` nil:
    /// the template is the whole file). Positions inside the template are added to `start`.
    package static func error(_ error: Error, file: String, start: Mark?, context: String = "") -> StackError {
        if let e = error as? StackError { return e }
        let prefix = context.isEmpty ? "" : context + ": "
        guard let t = error as? TemplateError else {
            return .template(SourceLocation(file: file, mark: start), message: prefix + "\(error)")
        }
        let mark: Mark
        switch start {
        case nil: mark = Mark(line: max(t.line, 1), column: max(t.column, 1))
        case let s?: mark = t.line <= 1 ? Mark(line: s.line, column: s.column + max(t.column, 1) - 1)
                                         : Mark(line: s.line + t.line - 1, column: t.column)
        }
        return .template(SourceLocation(file: file, mark: mark), message: prefix + t.message)
    }
}
