using MnistTrainer.Interop;
using MnistTrainer.Model;

namespace MnistTrainer.Tests.Interop;

public class StateDictTests
{
    static List<NamedTensor> Lesson() =>
        StateDict.Expected.Select(e => new NamedTensor(e.Name, NamedTensor.Float32, e.Shape, [])).ToList();

    [Fact]
    public void Expects_the_names_and_shapes_of_the_network_state_dict()
    {
        using var network = MnistNetwork.Create();

        var actual = network.state_dict().Select(p => (p.Key, string.Join("x", p.Value.shape)));

        Assert.Equal(StateDict.Expected.Select(e => (e.Name, string.Join("x", e.Shape))), actual);
        Assert.Equal(new[] { "0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias" }, StateDict.Expected.Select(e => e.Name));
    }

    [Fact]
    public void Accepts_the_lesson_state_dict_in_any_order()
    {
        var tensors = Lesson();
        tensors.Reverse();

        StateDict.Check(tensors);
    }

    [Fact]
    public void Refuses_other_names_listing_the_missing_and_the_unexpected()
    {
        var tensors = Lesson();
        tensors[0] = tensors[0] with { Name = "fc1.weight" };

        var error = Assert.Throws<InvalidDataException>(() => StateDict.Check(tensors));

        Assert.Contains("\"0.weight\" is missing", error.Message);
        Assert.Contains("unexpected tensor \"fc1.weight\"", error.Message);
    }

    [Fact]
    public void Refuses_other_shapes_and_dtypes()
    {
        var tensors = Lesson();
        tensors[0] = tensors[0] with { Shape = [100, 784] };
        tensors[5] = tensors[5] with { DType = "float64" };

        var error = Assert.Throws<InvalidDataException>(() => StateDict.Check(tensors));

        Assert.Contains("\"0.weight\" has shape [100, 784], expected [128, 784]", error.Message);
        Assert.Contains("\"4.bias\" is float64, expected float32", error.Message);
    }

    [Fact]
    public void Refuses_a_name_given_twice_and_an_extra_tensor()
    {
        var tensors = Lesson();
        tensors.Add(tensors[1]);
        tensors.Add(new NamedTensor("6.weight", NamedTensor.Float32, [10, 10], []));

        var error = Assert.Throws<InvalidDataException>(() => StateDict.Check(tensors));

        Assert.Contains("\"0.bias\" appears twice", error.Message);
        Assert.Contains("unexpected tensor \"6.weight\"", error.Message);
    }
}
