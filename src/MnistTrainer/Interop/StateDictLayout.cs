using MnistTrainer.Model;

namespace MnistTrainer.Interop;

/// <summary>
/// The names, dtype and shapes of the lesson's state_dict: "0.weight" [128, 784], "0.bias" [128], "2.weight" [64, 128],
/// … (the Linear layers sit at positions 0, 2 and 4 of the nn.Sequential, and their weights are [out, in]).
/// </summary>
public static class StateDictLayout
{
    public static readonly IReadOnlyList<(string Name, long[] Shape)> Expected = CreateExpected();

    static List<(string Name, long[] Shape)> CreateExpected()
    {
        var sizes = MnistNetwork.LayerSizes;
        var expected = new List<(string, long[])>();
        for (int layer = 0; layer < sizes.Count - 1; layer++)
        {
            expected.Add(($"{2 * layer}.weight", [sizes[layer + 1], sizes[layer]]));
            expected.Add(($"{2 * layer}.bias", [sizes[layer + 1]]));
        }
        return expected;
    }

    /// <summary>Throws <see cref="InvalidDataException"/> listing every name, dtype or shape that is not the lesson's.</summary>
    public static void Check(IReadOnlyList<NamedTensor> tensors)
    {
        var problems = new List<string>();
        var byName = new Dictionary<string, NamedTensor>();
        foreach (var tensor in tensors)
        {
            if (!byName.TryAdd(tensor.Name, tensor)) problems.Add($"\"{tensor.Name}\" appears twice");
        }
        foreach (var (name, shape) in Expected)
        {
            if (!byName.TryGetValue(name, out var tensor)) problems.Add($"\"{name}\" is missing");
            else if (tensor.DType != NamedTensor.Float32) problems.Add($"\"{name}\" is {tensor.DType}, expected {NamedTensor.Float32}");
            else if (!tensor.Shape.SequenceEqual(shape)) problems.Add($"\"{name}\" has shape {tensor.ShapeText}, expected [{string.Join(", ", shape)}]");
        }
        var unexpected = byName.Keys.Where(name => !Expected.Any(e => e.Name == name)).ToList();
        if (unexpected.Count > 0)
            problems.Add($"unexpected {(unexpected.Count == 1 ? "tensor" : "tensors")} {string.Join(", ", unexpected.Take(5).Select(n => $"\"{n}\""))}{(unexpected.Count > 5 ? $" and {unexpected.Count - 5} more" : "")}");
        if (problems.Count > 0)
            throw new InvalidDataException(
                $"not the state_dict of the lesson's network ({MnistNetwork.Description}): {string.Join("; ", problems)}");
    }
}
