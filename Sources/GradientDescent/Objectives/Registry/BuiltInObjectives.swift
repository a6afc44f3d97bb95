/// The registry entries of the built-in objectives.
enum BuiltInObjectives {
    static let factories: [ObjectiveFactory] = [
        ObjectiveFactory(
            name: "least_squares",
            summary: "linear least squares 1/(2m)·‖Xθ − y‖² + (l2/2)·‖θ‖²; n = cols",
            parameters: [ObjectiveParameter("l2", default: 0)],
            requiredData: [.features, .targets], isSampled: true
        ) { request throws(GradientDescentError) in
            let data = request.data
            try expect(request.dimension, data.columns, "least_squares has one parameter per column of X")
            return try LeastSquares(features: data.featureBuffer(), rows: data.rows, columns: data.columns,
                                    targets: data.targetBuffer(count: data.rows), l2: request.parameters[0])
        },
        ObjectiveFactory(
            name: "logistic",
            summary: "binary logistic regression, mean log-loss over labels y in [0, 1] + (l2/2)·‖θ‖²; n = cols",
            parameters: [ObjectiveParameter("l2", default: 0)],
            requiredData: [.features, .targets], isSampled: true
        ) { request throws(GradientDescentError) in
            let data = request.data
            try expect(request.dimension, data.columns, "logistic has one parameter per column of X")
            return try LogisticRegression(features: data.featureBuffer(), rows: data.rows, columns: data.columns,
                                          labels: data.targetBuffer(count: data.rows), l2: request.parameters[0])
        },
        ObjectiveFactory(
            name: "softmax",
            summary: "softmax regression over integer labels in [0, classes), θ a cols×classes row-major matrix, + (l2/2)·‖θ‖²; n = cols·classes",
            parameters: [ObjectiveParameter("l2", default: 0)],
            requiredData: [.features, .labels], isSampled: true
        ) { request throws(GradientDescentError) in
            let data = request.data
            let (n, overflow) = data.columns.multipliedReportingOverflow(by: max(data.classes, 0))
            try expect(request.dimension, overflow ? -1 : n, "softmax has cols × classes parameters")
            guard let labels = data.labels else {
                throw GradientDescentError(.nullArgument, "softmax needs data labels, which is NULL")
            }
            return try SoftmaxRegression(features: data.featureBuffer(), rows: data.rows, columns: data.columns,
                                         labels: UnsafeBufferPointer(start: labels, count: data.rows),
                                         classes: data.classes, l2: request.parameters[0])
        },
        ObjectiveFactory(
            name: "rosenbrock",
            summary: "n-dimensional Rosenbrock Σ b·(x[i+1] − x[i]²)² + (a − x[i])², minimum at (a, a², …); no data",
            parameters: [ObjectiveParameter("a", default: 1), ObjectiveParameter("b", default: 100)]
        ) { request throws(GradientDescentError) in
            try Rosenbrock(dimension: request.dimension, a: request.parameters[0], b: request.parameters[1])
        },
        ObjectiveFactory(
            name: "quadratic",
            summary: "½·xᵀAx − bᵀx with A the n×n data x and b the data y (0 when NULL)",
            requiredData: [.features]
        ) { request throws(GradientDescentError) in
            let data = request.data
            if data.rows != data.columns {
                throw GradientDescentError(.dimensionMismatch, "quadratic needs a square A, got \(data.rows)×\(data.columns)")
            }
            try expect(request.dimension, data.columns, "quadratic has the dimension of A")
            let b = data.targets.map { UnsafeBufferPointer(start: $0, count: data.rows) }
            return try Quadratic(matrix: data.featureBuffer(), dimension: data.rows, vector: b)
        },
    ]

    private static func expect(_ n: Int, _ implied: Int, _ rule: String) throws(GradientDescentError) {
        if n != implied {
            let shown = implied < 0 ? "too many" : "\(implied)"
            throw GradientDescentError(.dimensionMismatch, "n is \(n) but \(rule): \(shown)")
        }
    }
}
