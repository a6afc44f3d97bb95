/// Parameter groups: contiguous slices of x, each with its own hyper-parameters, as
/// torch.optim's `param_groups` (weight decay off for biases, a layer with its own lr).
///
/// Groups are declared by their first elements: `starts[0] == 0`, strictly increasing, each
/// below `dimension`; group g covers `starts[g] ..< starts[g + 1]` and the last one runs to the
/// end, so the groups cover x without overlap. A step updates the groups in turn, each with its
/// own values and its own scalars (NAdam's mu_product, ASGD's eta and mu, ...), with one
/// shared step count; the cost over an ungrouped step is one call per group.
///
/// `set(_:to:)` sets a key in every group; `setGroup` in one. Group 0's values are what
/// `value(of:)` and `learningRate` read.
extension Optimizer {
    /// The most groups an optimizer takes (far beyond any model's layers, and a bound on the
    /// memory a saved state can ask for).
    public static let maximumGroupCount = 1 << 20

    /// Declares the groups by their first elements (see above). Every group takes the values
    /// group 0 has now, and group 0's scalars; buffers and the step count are kept. One start
    /// (`[0]`) removes the groups. `.invalidArgument` for starts that are not as described, or
    /// for a custom rule (its state blocks span the whole x); nothing changes then.
    public func setGroups(starts: [Int]) throws(GradientDescentError) {
        try checkGroupStarts(starts)
        if updateRule is CallbackUpdateRule {
            throw GradientDescentError(.invalidArgument, "parameter groups are for the built-in rules; '\(rule)' is a custom rule")
        }
        if isQuasiNewton {
            throw GradientDescentError(.invalidArgument, "parameter groups are for the first-order rules; '\(rule)' takes none")
        }
        let scalarCount = state.layout.scalars.count
        let groupZeroScalars = Array(state.scalars.prefix(scalarCount))
        let count = starts.count
        let zero = groupValues(0)
        state.scalars = Array([[Double]](repeating: groupZeroScalars, count: count).joined())
        otherGroupValues = [HyperparameterValues](repeating: zero, count: count - 1)
        groupStarts = count == 1 ? [] : starts
        groupCount = count == 1 ? 0 : count
        setGroupValues(0, zero)
    }

    /// `.invalidArgument` unless `starts` declares groups of this optimizer (see `setGroups`).
    func checkGroupStarts(_ starts: [Int]) throws(GradientDescentError) {
        if starts.isEmpty || starts.count > Optimizer.maximumGroupCount {
            throw GradientDescentError(.invalidArgument,
                "the number of groups must be in [1, \(Optimizer.maximumGroupCount)], got \(starts.count)")
        }
        if starts[0] != 0 {
            throw GradientDescentError(.invalidArgument, "the first group must start at 0, got \(starts[0])")
        }
        for group in 1..<starts.count {
            if starts[group] <= starts[group - 1] || starts[group] >= dimension {
                throw GradientDescentError(.invalidArgument,
                    "group starts must increase strictly and stay below n = \(dimension); start \(group) is \(starts[group]) after \(starts[group - 1])")
            }
        }
    }

    /// The groups' first elements: `[0]` without groups.
    public var groupStartIndices: [Int] { groupCount == 0 ? [0] : groupStarts }

    /// The number of groups: 1 without groups.
    public var groupTotal: Int { max(1, groupCount) }

    /// Sets a key of one group (`.invalidArgument` for a group out of range; `.unknownKey`,
    /// `.invalidArgument` for the key and value as `set(_:to:)`).
    public func setGroup(_ group: Int, _ key: String, to value: Double) throws(GradientDescentError) {
        try checkGroup(group)
        let index = try schema.index(of: key)
        try schema.specifications[index].check(value)
        var changed = groupValues(group)
        changed[index] = value
        setGroupValues(group, changed)
    }

    /// A key's value in one group.
    public func groupValue(_ group: Int, of key: String) throws(GradientDescentError) -> Double {
        try checkGroup(group)
        return groupValues(group)[try schema.index(of: key)]
    }

    /// Group `group`'s lr, for schedules (no checks: `group < groupTotal`).
    func groupLearningRate(_ group: Int) -> Double { groupValues(group)[0] }

    /// Sets group `group`'s lr, for schedules (no checks: `group < groupTotal`).
    func setGroupLearningRate(_ group: Int, _ lr: Double) {
        var changed = groupValues(group)
        changed[0] = lr
        setGroupValues(group, changed)
    }

    private func checkGroup(_ group: Int) throws(GradientDescentError) {
        if group < 0 || group >= groupTotal {
            throw GradientDescentError(.invalidArgument, "group must be below the number of groups, \(groupTotal), got \(group)")
        }
    }
}
