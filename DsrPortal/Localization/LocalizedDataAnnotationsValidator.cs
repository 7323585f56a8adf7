using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.Localization;

namespace DsrPortal.Localization;

/// <summary>
/// Validates like <see cref="DataAnnotationsValidator"/>, but treats each attribute's ErrorMessage as a
/// key of the shared string table, so form errors appear in the user's language on static and
/// interactive forms alike.
/// </summary>
public sealed class LocalizedDataAnnotationsValidator : ComponentBase, IDisposable
{
    private EditContext? editContext;
    private ValidationMessageStore? messages;

    [CascadingParameter]
    private EditContext? CurrentEditContext { get; set; }

    [Inject]
    private IStringLocalizer<SharedResource> L { get; set; } = default!;

    [Inject]
    private IServiceProvider Services { get; set; } = default!;

    protected override void OnParametersSet()
    {
        if (CurrentEditContext is null)
        {
            throw new InvalidOperationException($"{nameof(LocalizedDataAnnotationsValidator)} must be placed inside an EditForm.");
        }

        if (ReferenceEquals(CurrentEditContext, editContext))
        {
            return;
        }

        Detach();
        editContext = CurrentEditContext;
        messages = new ValidationMessageStore(editContext);
        editContext.OnValidationRequested += ValidateModel;
        editContext.OnFieldChanged += ValidateField;
    }

    private void ValidateModel(object? sender, ValidationRequestedEventArgs e)
    {
        var model = editContext!.Model;
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(model, new ValidationContext(model, Services, null), results, validateAllProperties: true);

        messages!.Clear();
        foreach (var result in results)
        {
            var text = Translate(result);
            var members = result.MemberNames.Any() ? result.MemberNames : [string.Empty];
            foreach (var member in members)
            {
                messages.Add(new FieldIdentifier(model, member), text);
            }
        }

        editContext.NotifyValidationStateChanged();
    }

    private void ValidateField(object? sender, FieldChangedEventArgs e)
    {
        var field = e.FieldIdentifier;
        var property = field.Model.GetType().GetProperty(field.FieldName);
        if (property is null)
        {
            return;
        }

        var results = new List<ValidationResult>();
        var context = new ValidationContext(field.Model, Services, null) { MemberName = field.FieldName };
        Validator.TryValidateProperty(property.GetValue(field.Model), context, results);

        messages!.Clear(field);
        messages.Add(field, results.Select(Translate));
        editContext!.NotifyValidationStateChanged();
    }

    private string Translate(ValidationResult result) =>
        result.ErrorMessage is { } key ? L[key].Value : L["This value is not valid."].Value;

    private void Detach()
    {
        if (editContext is not null)
        {
            editContext.OnValidationRequested -= ValidateModel;
            editContext.OnFieldChanged -= ValidateField;
        }
    }

    public void Dispose() => Detach();
}
