using System.Text.Json.Serialization;
using MnistTrainer.Data;
using MnistTrainer.Inference;
using MnistTrainer.Model;

namespace MnistTrainer.Web;

/// <summary>
/// The trained model behind <c>serve</c>, shared by every request, and the one place where the server
/// turns pictures into predictions (with the same code as <c>predict</c>). One request at a time goes
/// through: a TorchSharp module must not run on several threads at once, and decoding one picture at a
/// time also bounds the memory a burst of large uploads can take.
/// </summary>
public sealed class ServedModel(TrainedModel model, string path, DatasetInfo dataset, LabeledImages? testSet)
{
    /// <summary>How errors name a picture that came over HTTP, where <c>predict</c> names the file.</summary>
    public const string UploadName = "uploaded image";

    readonly Predictor predictor = new(model.Network);
    readonly Lock network = new();

    public string Path => path;
    public DatasetInfo Dataset => dataset;
    public ModelMetadata Metadata => model.Metadata;
    public int? TestImageCount => testSet?.Count;

    /// <summary>An image file's bytes, read and made MNIST-like as <c>predict --image</c> does; throws <see cref="ImageFileException"/> for a bad one.</summary>
    public ServedPrediction Classify(byte[] image)
    {
        lock (network) return Answer(NetworkInput.FromBytes(image, UploadName));
    }

    /// <summary>Test image <paramref name="index"/> with its label, as <c>predict --index</c> gives it; needs the test set.</summary>
    public ServedPrediction ClassifyTestImage(int index)
    {
        var test = testSet ?? throw new InvalidOperationException("no test set was loaded");
        lock (network) return Answer(NetworkInput.FromTestSet(dataset, test, index));
    }

    ServedPrediction Answer(NetworkInput input) =>
        new(PredictionReport.Of(input, predictor.Predict(input.Pixels), model.Metadata.ClassNames), input.Pixels);
}

/// <summary>What the server answers for one picture: the fields of one <c>predict --json</c> result, plus the 28×28 input the network saw.</summary>
public sealed record ServedPrediction : PredictionReport
{
    public ServedPrediction(PredictionReport result, byte[] pixels) : base(result) =>
        Input = pixels.Chunk(DatasetInfo.ImageSide).Select(row => row.Select(p => (int)p).ToArray()).ToArray();

    /// <summary>The network's input, 28 rows of 28 values from 0 (background) to 255 (ink); after predict's fields.</summary>
    [JsonPropertyOrder(1)]
    public int[][] Input { get; }
}
