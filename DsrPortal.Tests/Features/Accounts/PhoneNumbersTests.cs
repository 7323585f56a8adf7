using DsrPortal.Features.Accounts;

namespace DsrPortal.Tests.Features.Accounts;

public sealed class PhoneNumbersTests
{
    [Theory]
    [InlineData("13812345678", "13812345678")]
    [InlineData("138 1234 5678", "13812345678")]
    [InlineData("138-1234-5678", "13812345678")]
    [InlineData("+86 138 1234 5678", "13812345678")]
    [InlineData("008613812345678", "13812345678")]
    [InlineData("8613812345678", "13812345678")]
    public void Accepts_the_ways_people_write_a_mainland_mobile_number(string input, string expected) =>
        Assert.Equal(expected, PhoneNumbers.Normalize(input));

    [Theory]
    [InlineData("")]
    [InlineData("12345")]
    [InlineData("1381234567")]      // ten digits
    [InlineData("138123456789")]    // twelve digits
    [InlineData("12812345678")]     // no mobile prefix starts 12
    [InlineData("phone: 13812345678")]
    [InlineData("+1 415 555 0100")]
    public void Refuses_what_is_not_a_mainland_mobile_number(string input) =>
        Assert.Null(PhoneNumbers.Normalize(input));

    [Fact]
    public void Masks_all_but_the_first_three_and_last_four_digits() =>
        Assert.Equal("138****5678", PhoneNumbers.Mask("13812345678"));

    [Fact]
    public void The_validation_attribute_leaves_empty_values_to_Required()
    {
        var attribute = new MobilePhoneNumberAttribute();
        Assert.True(attribute.IsValid(null));
        Assert.True(attribute.IsValid(""));
        Assert.False(attribute.IsValid("1234"));
        Assert.True(attribute.IsValid("+86 139 0000 1111"));
    }

    [Fact]
    public void One_time_passwords_are_long_readable_and_different_each_time()
    {
        var passwords = Enumerable.Range(0, 50).Select(_ => PasswordGenerator.OneTimePassword()).ToList();
        Assert.All(passwords, p => Assert.Matches("^[a-km-zA-HJ-NP-Z2-9]{5}(-[a-km-zA-HJ-NP-Z2-9]{5}){3}$", p));
        Assert.Equal(passwords.Count, passwords.Distinct().Count());
    }
}
