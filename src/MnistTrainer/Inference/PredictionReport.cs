using System.Text.Json;
using System.Text.Json.Serialization;

namespace MnistTrainer.Inference;

/// <summary>
/// One picture's answer as data for other programs: where the picture came from, its label when it is a test
/// image, the predicted class by number and name, and every class's probability. <c>predict --json</c> writes
/// one per picture and <c>serve</c> answers with the same fields.
/// </summary>
public record PredictionReport(string Source, int? Label, bool Preprocessed, int Predicted, string PredictedName,
    double Confidence, IReadOnlyList<double> Probabilities)
{
    /// <summary>
    /// How the fields are written as JSON: camelCase names, and NaN written as "NaN", since a diverged model's
    /// probabilities are NaN and must still be shown rather than fail.
    /// </summary>
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static PredictionReport Of(NetworkInput input, Prediction prediction, IReadOnlyList<string> classNames) => new(
        input.Source, input.Label, input.Preprocessed, prediction.PredictedClass, classNames[prediction.PredictedClass],
        prediction.Confidence, prediction.Probabilities);
}
