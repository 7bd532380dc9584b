namespace MnistTrainer.Inference;

/// <summary>A grayscale picture: <see cref="Width"/>×<see cref="Height"/> bytes, row-major, 0 = black, 255 = white.</summary>
public sealed class GrayImage
{
    public GrayImage(int width, int height, byte[] pixels)
    {
        if (width < 1 || height < 1 || pixels.Length != (long)width * height)
            throw new ArgumentException($"{pixels.Length} bytes do not make a {width}×{height} image");
        Width = width;
        Height = height;
        Pixels = pixels;
    }

    public int Width { get; }
    public int Height { get; }
    public byte[] Pixels { get; }

    public byte this[int x, int y] => Pixels[y * Width + x];
}
