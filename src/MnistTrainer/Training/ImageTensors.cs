using MnistTrainer.Data;
using static TorchSharp.torch;

namespace MnistTrainer.Training;

/// <summary>
/// A set of images as tensors: the pixels stay bytes ([N, 784], uint8, a quarter of the float size)
/// and are normalized batch by batch; labels are int64 as NLLLoss wants them.
/// </summary>
public sealed class ImageTensors : IDisposable
{
    public ImageTensors(LabeledImages images)
    {
        Count = images.Count;
        Pixels = tensor(images.Pixels, [Count, DatasetInfo.ImagePixels]);
        Labels = tensor(images.Labels, [Count]).to_type(ScalarType.Int64);
    }

    public int Count { get; }
    public Tensor Pixels { get; }
    public Tensor Labels { get; }

    public void Dispose()
    {
        Pixels.Dispose();
        Labels.Dispose();
    }
}
