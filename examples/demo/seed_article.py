"""The seed article's implementation example, verbatim (../shared/seed-article.txt): the
numpy code that `make demo` reproduces and `make bench` measures the library against."""

import numpy as np


def gradient_descent(X, y, learning_rate=0.01, iterations=1000):
    m, n = X.shape
    theta = np.zeros(n)
    for i in range(iterations):
        # Forward pass
        predictions = X.dot(theta)
        # Calculate loss
        loss = (1/(2*m)) * np.sum((predictions - y)**2)
        # Calculate gradients
        gradients = (1/m) * X.T.dot(predictions - y)
        # Update parameters
        theta -= learning_rate * gradients
    return theta
