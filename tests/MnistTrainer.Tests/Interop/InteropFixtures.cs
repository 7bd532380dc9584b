using System.Text.Json;
using MnistTrainer.Model;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MnistTrainer.Tests.Interop;

/// <summary>
/// The files tests/fixtures/make_interop_fixtures.py made with PyTorch: the lesson's state_dict as .pt and
/// .safetensors, fixed input images, and the log-probabilities PyTorch computed for them.
/// </summary>
public static class InteropFixtures
{
    public const float Tolerance = 1e-5f;

    public static readonly string FixturesFolder = Path.Combine(AppContext.BaseDirectory, "fixtures");
    public static readonly string Folder = Path.Combine(FixturesFolder, "interop");
    public static string PyTorchPt => Path.Combine(Folder, "lesson_state_dict.pt");
    public static string PyTorchSafetensors => Path.Combine(Folder, "lesson_state_dict.safetensors");
    public static string InputsJson => Path.Combine(Folder, "inputs.json");
    public static string WholeModelPt => Path.Combine(Folder, "whole_model.pt");
    public static string MaliciousPt => Path.Combine(Folder, "malicious_os_system.pt");
    /// <summary>The file the malicious fixture's os.system call would create if its pickle were ever run.</summary>
    public const string MaliciousMarker = "/tmp/mnist-interop-pwned";

    static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    sealed record InputsFile(int[][] Pixels);
    public sealed record Outputs(int[] Classes, float[][] LogProbabilities);

    public static byte[][] Inputs { get; } = JsonSerializer.Deserialize<InputsFile>(File.ReadAllText(InputsJson), Json)!
        .Pixels.Select(image => image.Select(p => (byte)p).ToArray()).ToArray();

    public static Outputs Expected { get; } = ParseOutputs(File.ReadAllText(Path.Combine(Folder, "expected.json")));

    public static Outputs ParseOutputs(string json) => JsonSerializer.Deserialize<Outputs>(json, Json)!;

    /// <summary>What the network computes here for the fixed inputs, normalized as the lesson does.</summary>
    public static Outputs Run(Sequential network)
    {
        network.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var pixels = tensor(Inputs.SelectMany(image => image).ToArray(), [Inputs.Length, Inputs[0].Length]);
        var output = network.call(InputNormalization.Apply(pixels));
        var flat = output.data<float>().ToArray();
        int classes = (int)output.shape[1];
        var rows = Enumerable.Range(0, Inputs.Length).Select(i => flat[(i * classes)..((i + 1) * classes)]).ToArray();
        var predicted = output.argmax(1).to_type(ScalarType.Int32).data<int>().ToArray();
        return new Outputs(predicted, rows);
    }

    public static void AssertSameOutputs(Outputs expected, Outputs actual)
    {
        Assert.Equal(expected.Classes, actual.Classes);
        Assert.Equal(expected.LogProbabilities.Length, actual.LogProbabilities.Length);
        for (int i = 0; i < expected.LogProbabilities.Length; i++)
            for (int c = 0; c < expected.LogProbabilities[i].Length; c++)
                Assert.True(Math.Abs(expected.LogProbabilities[i][c] - actual.LogProbabilities[i][c]) <= Tolerance,
                    $"input {i}, class {c}: expected {expected.LogProbabilities[i][c]}, got {actual.LogProbabilities[i][c]}");
    }
}
