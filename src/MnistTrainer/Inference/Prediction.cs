namespace MnistTrainer.Inference;

/// <summary>The network's answer for one image: the most probable class and the probability of every class (summing to 1).</summary>
public sealed record Prediction(int PredictedClass, IReadOnlyList<double> Probabilities)
{
    public double Confidence => Probabilities[PredictedClass];
}
