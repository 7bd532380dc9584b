using System.Globalization;
using System.Text.Json;
using Google.Protobuf;
using MnistTrainer.Files;
using MnistTrainer.Model;
using Onnx;
using TorchSharp.Modules;

namespace MnistTrainer.Interop;

/// <summary>What the exported ONNX graph takes as its <c>pixels</c> input.</summary>
public enum OnnxInput
{
    /// <summary>Floats already normalized as the lesson does, (x/255 − 0.5)/0.5, in [−1, 1]: what state_dict users feed.</summary>
    Normalized,
    /// <summary>Plain pixel values 0–255 as floats; the graph normalizes them itself.</summary>
    Raw,
}

/// <summary>
/// The lesson's network as an ONNX model: input <c>pixels</c> float32 [batch, 784], Gemm+Relu, Gemm+Relu, Gemm,
/// LogSoftmax(axis=1), output <c>log_probabilities</c> [batch, 10]; the weights as initializers named like the
/// state_dict ("0.weight", …), and the model file's metadata in metadata_props. The messages are ONNX's own
/// (onnx.proto, generated at build time) and Google.Protobuf writes them.
/// </summary>
public static class OnnxFormat
{
    public const string Name = "onnx";
    public const string InputName = "pixels";
    public const string OutputName = "log_probabilities";
    public static readonly IReadOnlyList<string> InputNames = [.. Enum.GetValues<OnnxInput>().Select(NameOf)];

    // IR 8 and opset 13 are what Debian 12's python3-onnx (1.12) checks, and every ONNX Runtime since 1.10 runs.
    const long IrVersion = 8;
    const long OpsetVersion = 13;
    const string BatchDimension = "batch";

    public static OnnxInput ParseInput(string name) => Enum.Parse<OnnxInput>(name, ignoreCase: true);

    public static string NameOf(OnnxInput input) => input.ToString().ToLowerInvariant();

    public static void Save(string path, Sequential network, ModelMetadata metadata, OnnxInput input)
    {
        var sizes = MnistNetwork.LayerSizes;
        var graph = new GraphProto { Name = "mnist_trainer" };
        graph.Input.Add(FloatMatrix(InputName, sizes[0]));
        graph.Output.Add(FloatMatrix(OutputName, sizes[^1]));
        foreach (var weight in StateDict.Read(network)) graph.Initializer.Add(Float32(weight.Name, weight.Shape, ByteString.CopyFrom(weight.Bytes)));

        var x = InputName;
        if (input == OnnxInput.Raw) x = AddNormalization(graph, x, metadata);
        int layers = sizes.Count - 1;
        for (int layer = 0; layer < layers; layer++)
        {
            // Linear(in, out) is x·Wᵀ + b with W stored [out, in]: Gemm with transB=1 takes W as it is.
            string linear = $"linear{layer}";
            graph.Node.Add(Node("Gemm", [x, $"{2 * layer}.weight", $"{2 * layer}.bias"], linear,
                new AttributeProto { Name = "transB", Type = AttributeProto.Types.AttributeType.Int, I = 1 }));
            x = linear;
            if (layer < layers - 1)
            {
                graph.Node.Add(Node("Relu", [x], $"relu{layer}"));
                x = $"relu{layer}";
            }
        }
        graph.Node.Add(Node("LogSoftmax", [x], OutputName,
            new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = 1 }));

        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "MnistTrainer",
            ProducerVersion = typeof(OnnxFormat).Assembly.GetName().Version?.ToString() ?? "",
            DocString = $"{MnistNetwork.Description}, trained on {metadata.Dataset}. Input \"{InputName}\": " +
                $"float32 [{BatchDimension}, {sizes[0]}], {InputDescription(input, metadata)}. Output \"{OutputName}\": " +
                $"float32 [{BatchDimension}, {sizes[^1]}], log-probabilities of the classes (exp gives the probabilities).",
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = OpsetVersion });
        foreach (var (key, value) in MetadataProps(metadata, input))
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        OutputFile.Write(path, model.WriteTo);
    }

    /// <summary>
    /// (x / 255 − mean) / std in three float32 steps, the same operations in the same order as
    /// <see cref="InputNormalization.Apply"/>, so the graph computes the very floats this program feeds its network.
    /// </summary>
    static string AddNormalization(GraphProto graph, string pixels, ModelMetadata metadata)
    {
        graph.Initializer.Add(Scalar("pixel_max", 255f));
        graph.Initializer.Add(Scalar("normalization_mean", (float)metadata.NormalizationMean));
        graph.Initializer.Add(Scalar("normalization_std", (float)metadata.NormalizationStd));
        graph.Node.Add(Node("Div", [pixels, "pixel_max"], "scaled"));
        graph.Node.Add(Node("Sub", ["scaled", "normalization_mean"], "centred"));
        graph.Node.Add(Node("Div", ["centred", "normalization_std"], "normalized"));
        return "normalized";
    }

    static string InputDescription(OnnxInput input, ModelMetadata metadata) => input == OnnxInput.Raw
        ? "pixel values 0-255 (light digit on a dark background), normalized inside the graph"
        : $"pixels already normalized as {Normalization(metadata)}, in [-1, 1]";

    static IEnumerable<(string Key, string Value)> MetadataProps(ModelMetadata metadata, OnnxInput input)
    {
        yield return ("dataset", metadata.Dataset);
        yield return ("class_names", JsonSerializer.Serialize(metadata.ClassNames, JsonPolicy.Options));
        yield return ("architecture", metadata.Architecture);
        yield return ("input", NameOf(input));
        yield return ("normalization", Normalization(metadata) + (input == OnnxInput.Raw ? ", done inside the graph" : ", done by the caller"));
        if (metadata.Training is { } training)
        {
            yield return ("training", JsonSerializer.Serialize(new
            {
                epochs = training.Epochs,
                learning_rate = training.LearningRate,
                batch_size = training.BatchSize,
                seed = training.Seed,
                epoch_losses = training.EpochLosses,
                test_accuracy = training.TestAccuracy,
                finished_at = training.FinishedAt,
            }, JsonPolicy.Options)); // a diverged run's NaN losses as null, as JsonPolicy writes them
        }
        else yield return ("training", "none: imported from a PyTorch state_dict");
    }

    static string Normalization(ModelMetadata metadata) =>
        string.Create(CultureInfo.InvariantCulture, $"(x/255 - {metadata.NormalizationMean}) / {metadata.NormalizationStd}");

    static NodeProto Node(string op, string[] inputs, string output, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = output };
        node.Input.Add(inputs);
        node.Output.Add(output);
        node.Attribute.Add(attributes);
        return node;
    }

    static ValueInfoProto FloatMatrix(string name, long columns)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = BatchDimension });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = columns });
        var tensor = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape };
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensor } };
    }

    static TensorProto Scalar(string name, float value) => Float32(name, [], ByteString.CopyFrom(BitConverter.GetBytes(value)));

    /// <summary>A float32 tensor; raw_data is little-endian, which is what BitConverter and the weights' bytes are on every platform .NET and TorchSharp run on.</summary>
    static TensorProto Float32(string name, long[] shape, ByteString littleEndian)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float, RawData = littleEndian };
        tensor.Dims.Add(shape);
        return tensor;
    }
}
