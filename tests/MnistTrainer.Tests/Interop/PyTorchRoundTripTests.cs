using MnistTrainer.Interop;
using MnistTrainer.Training;

namespace MnistTrainer.Tests.Interop;

/// <summary>Weights exported here, loaded by PyTorch itself (tests/fixtures/check_export.py), give the outputs they give here.</summary>
public sealed class PyTorchRoundTripTests : IDisposable
{
    readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [PyTorchFact]
    public void PyTorch_loads_an_exported_pt_and_safetensors_and_computes_the_same_outputs()
    {
        Assert.True(PythonTorch.WhyUnavailable == null, PythonTorch.WhyUnavailable);
        using var network = Trainer.NewNetwork(seed: 12345);
        var here = InteropFixtures.Run(network);

        foreach (var (format, name) in new[] { (WeightsFormat.Pt, "exported.pt"), (WeightsFormat.Safetensors, "exported.safetensors") })
        {
            var path = _folder[name];
            WeightsFile.Save(path, network, format);

            var (exitCode, output, error) = PythonTorch.Run(
                Path.Combine(InteropFixtures.FixturesFolder, "check_export.py"), path, "--inputs", InteropFixtures.InputsJson);

            Assert.True(exitCode == 0, $"check_export.py failed on {name}:\n{error}");
            InteropFixtures.AssertSameOutputs(here, InteropFixtures.ParseOutputs(output));
        }
    }
}
