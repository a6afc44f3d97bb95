extension MinimizeOptions {
    /// Options with the stopping criteria and sampling given by name; every other field at
    /// its default. A limit of 0 turns its criterion off; the C header's `gd_options`
    /// documents each and the order of the checks.
    public init(maxIterations: UInt64 = 10_000, maxEpochs: UInt64 = 0, gradientTolerance: Double = 0,
                lossTolerance: Double = 0, patience: UInt64 = 1, targetLoss: Double = -.infinity,
                timeLimit: Double = 0, batchSize: Int = 0, seed: UInt64 = 0, shuffle: Bool = true) {
        self.init()
        self.maxIterations = maxIterations
        self.maxEpochs = maxEpochs
        self.gradientTolerance = gradientTolerance
        self.lossTolerance = lossTolerance
        self.patience = patience
        self.targetLoss = targetLoss
        self.timeLimit = timeLimit
        self.batchSize = batchSize
        self.seed = seed
        self.shuffle = shuffle
    }
}
