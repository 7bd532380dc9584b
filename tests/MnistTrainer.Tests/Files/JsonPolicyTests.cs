using System.Text.Json;
using MnistTrainer.Files;

namespace MnistTrainer.Tests.Files;

public class JsonPolicyTests
{
    record Numbers(double Loss, float Weight, double? Missing, IReadOnlyList<double> Losses);

    [Fact]
    public void Numbers_JSON_cannot_hold_are_written_as_null_and_read_back_as_NaN()
    {
        var json = JsonSerializer.Serialize(new Numbers(double.NaN, float.PositiveInfinity, double.NegativeInfinity, [0.5, double.NaN]), JsonPolicy.Options);

        Assert.Equal("""{"loss":null,"weight":null,"missing":null,"losses":[0.5,null]}""", json);
        var back = JsonSerializer.Deserialize<Numbers>(json, JsonPolicy.Options)!;
        Assert.True(double.IsNaN(back.Loss));
        Assert.True(float.IsNaN(back.Weight));
        Assert.Null(back.Missing);
        Assert.True(double.IsNaN(back.Losses[1]));
    }

    [Fact]
    public void Finite_numbers_keep_their_shortest_form()
    {
        var json = JsonSerializer.Serialize(new Numbers(0.1, 0.1f, 2, [1e-7]), JsonPolicy.FileHeader);

        Assert.Equal("""{"Loss":0.1,"Weight":0.1,"Missing":2,"Losses":[1E-07]}""", json);
    }

    [Fact]
    public void Files_written_before_the_policy_with_NaN_as_a_string_still_read()
    {
        var back = JsonSerializer.Deserialize<Numbers>("""{"Loss":"NaN","Weight":"-Infinity","Missing":null,"Losses":["NaN"]}""", JsonPolicy.FileHeader)!;

        Assert.True(double.IsNaN(back.Loss));
        Assert.Equal(float.NegativeInfinity, back.Weight);
        Assert.True(double.IsNaN(back.Losses[0]));
    }

    [Fact]
    public void A_string_that_is_no_number_is_a_JSON_error_like_any_other() =>
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Numbers>("""{"Loss":"a","Weight":1,"Missing":null,"Losses":[]}""", JsonPolicy.FileHeader));
}
