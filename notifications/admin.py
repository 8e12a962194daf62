"""The outbox for group staff: what was sent, what is pending, why something failed."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import InboxItem, Message
from .services import message_deliver


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "channel", "template", "recipient", "address", "status"]
    list_filter = ["status", "channel", "is_marketing"]
    search_fields = ["template", "subject", "address", "recipient__username"]
    list_select_related = ["recipient"]
    raw_id_fields = ["recipient"]
    readonly_fields = ["status", "attempts", "last_error", "next_attempt_at", "sent_at"]
    date_hierarchy = "created_at"
    actions = ["deliver_now"]

    @admin.action(description=_("Deliver selected pending messages now"))
    def deliver_now(self, request, queryset):
        pending = queryset.filter(status=Message.Status.PENDING).values_list("pk", flat=True)
        delivered = sum(
            1
            for pk in pending
            if (message := message_deliver(message_id=pk)) and message.status == Message.Status.SENT
        )
        self.message_user(
            request,
            ngettext("%(count)d message delivered.", "%(count)d messages delivered.", delivered)
            % {"count": delivered},
        )


@admin.register(InboxItem)
class InboxItemAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "title", "read_at"]
    list_filter = ["read_at"]
    search_fields = ["title", "user__username"]
    list_select_related = ["user"]
    raw_id_fields = ["user", "message"]
