using MnistTrainer.Inference;
using MnistTrainer.Samples;
using SkiaSharp;

namespace MnistTrainer.Tests.Inference;

public class ImagePreprocessorTests : IDisposable
{
    readonly TempFolder folder = new();
    public void Dispose() => folder.Dispose();

    /// <summary>Renders a digit picture, saves it and reads it back, as a photo would come in.</summary>
    GrayImage Picture(char digit, DigitStyle style, SKEncodedImageFormat format = SKEncodedImageFormat.Png)
    {
        using var bitmap = DigitPicture.Render(digit, style);
        var path = folder[$"picture.{format.ToString().ToLowerInvariant()}"];
        ImageWriter.Save(path, bitmap, format, quality: 90);
        return ImageFile.Read(path);
    }

    static GrayImage Mnist(byte[] pixels) => new(28, 28, pixels);

    static (int Width, int Height) InkSize(GrayImage image)
    {
        var ink = Enumerable.Range(0, image.Pixels.Length).Where(i => image.Pixels[i] > 0).ToList();
        return (ink.Max(i => i % 28) - ink.Min(i => i % 28) + 1, ink.Max(i => i / 28) - ink.Min(i => i / 28) + 1);
    }

    static void AssertMnistLike(byte[]? pixels)
    {
        Assert.NotNull(pixels);
        var image = Mnist(pixels);
        Assert.Equal(0, ImagePreprocessor.BorderMedian(image));
        Assert.Equal(255, pixels.Max());
        var (width, height) = InkSize(image);
        Assert.True(width <= 20 && height <= 20, $"ink is {width}×{height}, more than 20×20");
        Assert.True(Math.Max(width, height) >= 19, $"ink is {width}×{height}: its long side should fill the 20-pixel box");
        var (x, y) = ImagePreprocessor.CentreOfMass(image);
        Assert.True(Math.Abs(x - 13.5) <= 1 && Math.Abs(y - 13.5) <= 1, $"centre of mass at ({x:F2}, {y:F2})");
    }

    [Fact]
    public void A_dark_digit_off_centre_on_a_white_phone_sized_picture_comes_out_like_MNIST()
    {
        var picture = Picture('3', new DigitStyle(300, 400, new SKPoint(90, 110), 150, new SKColor(0x30, 0x30, 0x30), SKColors.White));
        Assert.True(picture[0, 0] > 200); // really dark on light going in
        AssertMnistLike(ImagePreprocessor.Prepare(picture));
    }

    [Fact]
    public void A_wide_glyph_keeps_its_aspect_ratio()
    {
        var picture = Picture('-', new DigitStyle(300, 400, new SKPoint(200, 300), 20, SKColors.Black, SKColors.White));
        var pixels = ImagePreprocessor.Prepare(picture)!;
        var (width, height) = InkSize(Mnist(pixels));
        Assert.Equal(20, width);
        Assert.True(height < 10, $"a dash came out {width}×{height}");
    }

    [Fact]
    public void Light_ink_on_a_dark_picture_is_not_inverted()
    {
        var picture = Picture('7', new DigitStyle(300, 400, new SKPoint(200, 250), 180, SKColors.White, new SKColor(0x20, 0x20, 0x20)));
        AssertMnistLike(ImagePreprocessor.Prepare(picture));
    }

    [Fact]
    public void Paper_texture_and_jpeg_noise_become_a_black_background()
    {
        var style = new DigitStyle(300, 400, new SKPoint(175, 235), 190, new SKColor(0x1a, 0x2a, 0x5a), new SKColor(0xe8, 0xe4, 0xda),
            PaperTexture: true, Seed: 7);
        var pixels = ImagePreprocessor.Prepare(Picture('7', style, SKEncodedImageFormat.Jpeg))!;
        AssertMnistLike(pixels);
        Assert.All(Enumerable.Range(0, 28), x => Assert.Equal(0, pixels[x])); // the whole top row
    }

    [Fact]
    public void An_MNIST_like_28_by_28_image_is_used_as_it_is()
    {
        var pixels = new byte[784];
        for (int y = 6; y < 22; y++) pixels[y * 28 + 9] = 200; // an off-centre stroke: preprocessing would move it
        Assert.Equal(pixels, ImagePreprocessor.Prepare(Mnist(pixels)));
    }

    [Fact]
    public void A_28_by_28_image_with_a_light_background_is_preprocessed()
    {
        var pixels = Enumerable.Repeat((byte)255, 784).ToArray();
        for (int y = 6; y < 22; y++) pixels[y * 28 + 9] = 0;
        var prepared = ImagePreprocessor.Prepare(Mnist(pixels))!;
        Assert.Equal(0, prepared[0]);
        Assert.Equal(255, prepared.Max());
    }

    [Fact]
    public void A_blank_picture_has_no_drawing()
    {
        Assert.Null(ImagePreprocessor.Prepare(new GrayImage(300, 400, Enumerable.Repeat((byte)240, 300 * 400).ToArray())));
    }
}
