import GradientDescent

/// A parsed signature string of the foreign-function grammar (see the header,
/// gd_objective_new_foreign): a C prototype whose parameter names say what each argument is.
struct ForeignSignature: Equatable {
    enum Result: Equatable {
        case void
        /// The loss.
        case double
        /// A status: 0 for success.
        case int32
    }

    enum Integer: Equatable {
        case int32, int64, size
    }

    enum Parameter: Equatable {
        /// The dimension n, as an integer of this type, by value or through a pointer.
        case dimension(Integer, byReference: Bool)
        case point
        case gradient
        case loss
    }

    let symbol: String
    let result: Result
    let parameters: [Parameter]

    var hasGradient: Bool { parameters.contains(.gradient) }
    var hasLossArgument: Bool { parameters.contains(.loss) }
    var integerDimension: Integer? {
        for case let .dimension(type, _) in parameters { return type }
        return nil
    }

    /// Parses `text`; every failure is a `.foreign` error that quotes the text and says
    /// what was expected where.
    init(parsing text: String, what: String) throws(GradientDescentError) {
        var tokens = try Tokenizer.tokens(of: text, what: what)
        func fail(_ message: String) -> GradientDescentError {
            GradientDescentError(.foreign, "\(what) '\(text)': \(message)")
        }
        func next() -> Token? { tokens.isEmpty ? nil : tokens.removeFirst() }

        guard case .word(let resultName)? = next() else {
            throw fail("expected a return type (double, void or int) first")
        }
        switch resultName {
        case "double": result = .double
        case "void": result = .void
        case "int", "int32_t": result = .int32
        default: throw fail("unknown return type '\(resultName)'; expected double (the loss), void or int (a status)")
        }
        var symbolToken = next()
        if symbolToken == .star {
            throw fail("a pointer return type is not supported")
        }
        guard case .word(let symbol)? = symbolToken else {
            throw fail("expected the symbol name after '\(resultName)'")
        }
        self.symbol = symbol
        symbolToken = next()
        guard symbolToken == .open else {
            throw fail("expected '(' after '\(symbol)'")
        }
        var parameters: [Parameter] = []
        var roles: [String: Bool] = [:]
        if tokens.first == .close {
            _ = next()
        } else {
            while true {
                var parts: [Token] = []
                while let token = tokens.first, token != .comma, token != .close {
                    _ = next()
                    if token == .open {
                        throw fail("unexpected '\(token)' in a parameter")
                    }
                    parts.append(token)
                }
                guard let separator = next() else {
                    throw fail("missing ')' at the end")
                }
                let parameter = try ForeignSignature.parameter(parts, fail: fail)
                let role = ForeignSignature.roleName(parameter)
                if roles[role] != nil {
                    throw fail("the \(role) argument appears twice")
                }
                roles[role] = true
                parameters.append(parameter)
                if separator == .close { break }
            }
        }
        if let extra = next() {
            throw fail("unexpected '\(extra)' after ')'")
        }
        if !parameters.contains(.point) {
            throw fail("no x argument; the point is passed as 'const double *x'")
        }
        self.parameters = parameters
    }

    private static func roleName(_ parameter: Parameter) -> String {
        switch parameter {
        case .dimension: "n"
        case .point: "x"
        case .gradient: "g"
        case .loss: "f"
        }
    }

    /// One parameter, token by token as the grammar orders them: [const] type [*] name.
    private static func parameter(_ parts: [Token],
                                  fail: (String) -> GradientDescentError) throws(GradientDescentError) -> Parameter {
        let text = parts.map(\.description).joined(separator: " ")
        var rest = parts[...]
        var isConst = false
        if rest.first == .word("const") {
            isConst = true
            rest = rest.dropFirst()
        }
        let malformed = fail("cannot read the parameter '\(text)'; write it as [const] type [*] name")
        guard case .word(let type)? = rest.first, type != "const" else {
            throw rest.isEmpty ? fail("a parameter needs a type and a name, got '\(text)'") : malformed
        }
        rest = rest.dropFirst()
        var stars = 0
        while rest.first == .star {
            stars += 1
            rest = rest.dropFirst()
        }
        guard case .word(let name)? = rest.first, rest.count == 1, name != "const" else {
            throw rest.isEmpty && stars == 0 ? fail("a parameter needs a type and a name, got '\(text)'") : malformed
        }
        if stars > 1 {
            throw fail("'\(name)' has \(stars) levels of pointer; at most one is supported")
        }
        let pointer = stars == 1
        let integer: Integer?
        switch type {
        case "int", "int32_t": integer = .int32
        case "int64_t", "long": integer = .int64
        case "size_t": integer = .size
        case "double": integer = nil
        default:
            throw fail("unknown type '\(type)'; known: int, int32_t, int64_t, long, size_t, double")
        }
        switch name {
        case "n":
            guard let integer else {
                throw fail("n must be an integer (int, int32_t, int64_t, long or size_t), by value or pointer")
            }
            return .dimension(integer, byReference: pointer)
        case "x":
            guard integer == nil, pointer else {
                throw fail("x must be 'const double *x'")
            }
            return .point
        case "g", "grad", "f", "loss":
            let what = name.hasPrefix("g") ? "the gradient" : "the loss"
            guard integer == nil, pointer, !isConst else {
                throw fail("\(name) receives \(what), so it must be 'double *\(name)' (not const)")
            }
            return name.hasPrefix("g") ? .gradient : .loss
        default:
            throw fail("unknown argument name '\(name)'; names say the role: n, x, g (or grad), f (or loss)")
        }
    }
}

enum Token: Equatable, CustomStringConvertible {
    case word(String), star, open, close, comma

    var description: String {
        switch self {
        case .word(let w): w
        case .star: "*"
        case .open: "("
        case .close: ")"
        case .comma: ","
        }
    }
}

enum Tokenizer {
    static func tokens(of text: String, what: String) throws(GradientDescentError) -> [Token] {
        var tokens: [Token] = []
        var word = ""
        func flush() {
            if !word.isEmpty {
                tokens.append(.word(word))
                word = ""
            }
        }
        for (offset, c) in text.unicodeScalars.enumerated() {
            switch c {
            case "a"..."z", "A"..."Z", "0"..."9", "_", "$", ".":
                word.unicodeScalars.append(c)
            case " ", "\t", "\n", "\r":
                flush()
            case "*": flush(); tokens.append(.star)
            case "(": flush(); tokens.append(.open)
            case ")": flush(); tokens.append(.close)
            case ",": flush(); tokens.append(.comma)
            default:
                throw GradientDescentError(.foreign, "\(what) '\(text)': unexpected character '\(c)' at position \(offset + 1)")
            }
        }
        flush()
        if tokens.isEmpty {
            throw GradientDescentError(.foreign, "\(what) is empty; expected e.g. 'double f(int n, const double *x)'")
        }
        return tokens
    }
}
