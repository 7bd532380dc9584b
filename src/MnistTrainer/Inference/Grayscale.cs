namespace MnistTrainer.Inference;

/// <summary>Colour to gray (Rec. 601 luma, as most image tools use), with transparency turned into background.</summary>
public static class Grayscale
{
    /// <summary>
    /// Transparent parts take the shade opposite to the drawing's average (white under dark ink, black
    /// under light ink), so a drawing on a transparent canvas stays visible whatever colour the
    /// transparent pixels happen to store.
    /// </summary>
    public static GrayImage FromRgba(int width, int height, byte[] rgba)
    {
        var gray = new byte[width * height];
        var alpha = new byte[width * height];
        long inkSum = 0, alphaSum = 0;
        for (int i = 0; i < gray.Length; i++)
        {
            int r = rgba[4 * i], g = rgba[4 * i + 1], b = rgba[4 * i + 2];
            gray[i] = (byte)((299 * r + 587 * g + 114 * b + 500) / 1000);
            alpha[i] = rgba[4 * i + 3];
            inkSum += gray[i] * alpha[i];
            alphaSum += alpha[i];
        }
        if (alphaSum == 255L * gray.Length) return new GrayImage(width, height, gray);

        int backdrop = alphaSum > 0 && inkSum / alphaSum >= 128 ? 0 : 255;
        for (int i = 0; i < gray.Length; i++)
            gray[i] = (byte)((gray[i] * alpha[i] + backdrop * (255 - alpha[i]) + 127) / 255);
        return new GrayImage(width, height, gray);
    }
}
