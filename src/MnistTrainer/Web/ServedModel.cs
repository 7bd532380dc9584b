using System.Text.Json.Serialization;
using MnistTrainer.Data;
using MnistTrainer.Inference;
using MnistTrainer.Model;

namespace MnistTrainer.Web;

/// <summary>
/// The trained model behind <c>serve</c>, shared by every request, and the one place where the server turns
/// pictures and drawings into predictions (with the same code as <c>predict</c>). Decoding a picture is the
/// slow part: it runs outside the network's turn, a few at a time, while requests waiting for either do not
/// hold a thread, so that a burst of large uploads neither stalls the server's other answers nor takes
/// memory for more than a few decoded pictures. The network itself takes one request at a time: a
/// TorchSharp module must not run on several threads at once.
/// </summary>
public sealed class ServedModel(TrainedModel model, string path, DatasetInfo dataset, LabeledImages? testSet)
{
    /// <summary>
    /// The most pixels an upload may declare: 4 MP (2000×2000) decode in tens of milliseconds; beyond that a
    /// picture has far more detail than 28×28 can use (the page scales larger ones down before sending).
    /// </summary>
    public const long MaxPixels = 4_000_000;

    /// <summary>Pictures decoded at once: one core is left for everything else the server does.</summary>
    public static readonly int DecodeSlots = Math.Max(1, Environment.ProcessorCount - 1);

    readonly Predictor predictor = new(model.Network);
    readonly SemaphoreSlim networkTurn = new(1, 1);
    readonly SemaphoreSlim decoding = new(DecodeSlots, DecodeSlots);

    public string Path => path;
    public DatasetInfo Dataset => dataset;
    public ModelMetadata Metadata => model.Metadata;

    /// <summary>The number of test images (which may be 0), or null when no test files were found.</summary>
    public int? TestImageCount => testSet?.Count;

    /// <summary>An image file's bytes, read and made MNIST-like as <c>predict --image</c> does; throws <see cref="ImageFileException"/> for a bad one.</summary>
    public async Task<ServedPrediction> ClassifyAsync(byte[] image, CancellationToken cancel)
    {
        NetworkInput input;
        await decoding.WaitAsync(cancel);
        // Errors name it so, where predict names the file.
        try { input = NetworkInput.FromBytes(image, "uploaded image", MaxPixels); }
        finally { decoding.Release(); }
        return await AnswerAsync(input, cancel);
    }

    public Task<ServedPrediction> ClassifyAsync(PenStrokes drawing, CancellationToken cancel) =>
        AnswerAsync(NetworkInput.FromStrokes(drawing, "drawing"), cancel);

    /// <summary>Test image <paramref name="index"/> with its label, as <c>predict --index</c> gives it; needs the test set.</summary>
    public Task<ServedPrediction> ClassifyTestImageAsync(int index, CancellationToken cancel) =>
        AnswerAsync(NetworkInput.FromTestSet(dataset, testSet!, index), cancel);

    async Task<ServedPrediction> AnswerAsync(NetworkInput input, CancellationToken cancel)
    {
        await networkTurn.WaitAsync(cancel);
        try { return new(PredictionReport.Of(input, predictor.Predict(input.Pixels), model.Metadata.ClassNames), input.Pixels); }
        finally { networkTurn.Release(); }
    }
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
