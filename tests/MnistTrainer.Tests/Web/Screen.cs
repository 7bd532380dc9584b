namespace MnistTrainer.Tests.Web;

/// <summary>The browser window a page test runs in: its size, and whether the pointer is a finger (touch) or the mouse.</summary>
public sealed record Screen(string Name, int Width, int Height, bool Touch)
{
    public static readonly Screen Desktop = new("desktop", 1280, 800, Touch: false);

    /// <summary>A phone held upright (an iPhone 12–15's viewport), with touch.</summary>
    public static readonly Screen Phone = new("phone", 390, 844, Touch: true);

    public override string ToString() => $"{Name} {Width}×{Height}";
}
