using MnistTrainer.Cli;
using MnistTrainer.Tests.Data;

namespace MnistTrainer.Tests.Robustness;

/// <summary>
/// A named pipe, device or socket given where a file is read (data, model, checkpoint, image, weights) is refused
/// at once with one line and exit 3, through the real commands; opening a pipe would otherwise wait for a writer forever.
/// </summary>
public sealed class SpecialInputTests : IDisposable
{
    readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    static CliRun RunWithoutHanging(string fifo, params string[] args) => SpecialFiles.RunNotBlockingOn(fifo, () => CliRun.Of(args)).Result;

    const string IsAPipe = "is a named pipe (FIFO), not a regular file";

    [LinuxFact]
    public void A_pipe_as_the_model_of_predict_or_export()
    {
        var fifo = SpecialFiles.MakeFifo(folder["m.model"]);

        RunWithoutHanging(fifo, "predict", "--model", fifo, "--index", "0").AssertOneClearError(ExitCodes.DataError, fifo, IsAPipe, "model file");
        RunWithoutHanging(fifo, "export", "--model", fifo, "--output", folder["w.pt"]).AssertOneClearError(ExitCodes.DataError, fifo, IsAPipe);
        Assert.False(File.Exists(folder["w.pt"]));
    }

    [LinuxFact]
    public void A_pipe_as_the_checkpoint_to_resume()
    {
        var fifo = SpecialFiles.MakeFifo(folder["m.model.ckpt"]);

        RunWithoutHanging(fifo, "train", "--resume", fifo).AssertOneClearError(ExitCodes.DataError, fifo, IsAPipe, "checkpoint");
    }

    [LinuxFact]
    public void A_pipe_as_an_image_or_as_weights_to_import()
    {
        var fifo = SpecialFiles.MakeFifo(folder["digit.png"]);

        RunWithoutHanging(fifo, "predict", "--model", UntrainedModel.FilePath, "--image", fifo).AssertOneClearError(ExitCodes.DataError, fifo, IsAPipe, "image file");
        RunWithoutHanging(fifo, "import", "--from", fifo, "--output", folder["m.model"]).AssertOneClearError(ExitCodes.DataError, fifo, IsAPipe, "weights file");
    }

    [LinuxFact]
    public void A_pipe_as_a_dataset_file()
    {
        Idx.Write(folder.Path, "train-labels-idx1-ubyte", Idx.Labels(1, 2, 3));
        Idx.Write(folder.Path, "t10k-images-idx3-ubyte", Idx.Images(3));
        Idx.Write(folder.Path, "t10k-labels-idx1-ubyte", Idx.Labels(1, 2, 3));
        var fifo = SpecialFiles.MakeFifo(folder["train-images-idx3-ubyte"]);

        var run = RunWithoutHanging(fifo, "train", "--data-dir", folder.Path, "--no-download", "--output", folder["m.model"]);

        run.AssertOneClearError(ExitCodes.DataError, fifo, IsAPipe, "data file");
        Assert.False(File.Exists(folder["m.model"]));
    }

    [LinuxFact]
    public void A_device_or_a_socket_as_a_model()
    {
        CliRun.Of("export", "--model", "/dev/zero", "--output", folder["w.pt"])
            .AssertOneClearError(ExitCodes.DataError, "/dev/zero", "is a character device, not a regular file");
        using var socket = SpecialFiles.MakeSocket(folder["socket"]);
        CliRun.Of("export", "--model", folder["socket"], "--output", folder["w.pt"])
            .AssertOneClearError(ExitCodes.DataError, folder["socket"], "is a socket, not a regular file");
    }
}
