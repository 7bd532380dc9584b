namespace MnistTrainer.Inference;

/// <summary>
/// One picture's answer as data for other programs: where the picture came from, its label when it is a test
/// image, the predicted class by number and name, and every class's probability. <c>predict --json</c> writes
/// one per picture and <c>serve</c> answers with the same fields.
/// </summary>
public record PredictionReport(string Source, int? Label, bool Preprocessed, int Predicted, string PredictedName,
    double Confidence, IReadOnlyList<double> Probabilities)
{
    public static PredictionReport Of(NetworkInput input, Prediction prediction, IReadOnlyList<string> classNames) => new(
        input.Source, input.Label, input.Preprocessed, prediction.PredictedClass, classNames[prediction.PredictedClass],
        prediction.Confidence, prediction.Probabilities);
}
