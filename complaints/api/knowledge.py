"""GET/POST /api/v1/knowledge/, GET/PATCH/PUT /api/v1/knowledge/<id>/: the knowledge
base. Every staff member reads the published articles (group CRM staff the drafts
too), searched with ?q= and narrowed with ?category= (its children along); group CRM
staff write them through the same services as the pages (decision 0027)."""

import django_filters
from django.db.models import Q
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from vanke_crm.api import IsStaffMember

from ..models import Article, Category
from ..services import knowledge as services


class ArticleSerializer(serializers.ModelSerializer):
    category_name = serializers.CharField(source="category.name", read_only=True, default="")
    steps_list = serializers.ListField(
        child=serializers.CharField(), source="step_list", read_only=True
    )

    class Meta:
        model = Article
        fields = [
            "id",
            "title",
            "category",
            "category_name",
            "problem",
            "answer",
            "steps",
            "steps_list",
            "keywords",
            "is_published",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ArticleWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=120)
    category = serializers.PrimaryKeyRelatedField(
        queryset=Category.objects.all(), allow_null=True, required=False
    )
    problem = serializers.CharField(max_length=4000)
    answer = serializers.CharField(max_length=4000)
    steps = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    keywords = serializers.CharField(max_length=200, required=False, allow_blank=True)
    is_published = serializers.BooleanField(required=False)


class ArticleFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", max_length=64)
    # An id, not a choice: an unknown category finds nothing.
    category = django_filters.NumberFilter(method="filter_category")
    is_published = django_filters.BooleanFilter()

    class Meta:
        model = Article
        fields = []

    def filter_q(self, queryset, name, value):
        for word in value.split()[:5]:
            queryset = queryset.filter(
                Q(title__icontains=word)
                | Q(keywords__icontains=word)
                | Q(problem__icontains=word)
                | Q(answer__icontains=word)
            )
        return queryset

    def filter_category(self, queryset, name, value):
        return queryset.filter(Q(category_id=value) | Q(category__parent_id=value))


class ArticleViewSet(
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    serializer_class = ArticleSerializer
    permission_classes = [IsStaffMember]
    filterset_class = ArticleFilter

    def get_queryset(self):
        return (
            Article.objects.for_user(self.request.user)
            .select_related("category")
            .order_by("-updated_at", "-pk")
        )

    @extend_schema(request=ArticleWriteSerializer, responses={201: ArticleSerializer})
    def create(self, request, *args, **kwargs):
        """Write an article (group CRM staff)."""
        payload = ArticleWriteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        article = services.article_create(by=request.user, **payload.validated_data)
        return Response(self.get_serializer(article).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ArticleWriteSerializer, responses={200: ArticleSerializer})
    def update(self, request, *args, **kwargs):
        """Change an article, publish or withdraw it (group CRM staff); PATCH sends only
        the fields to change."""
        article = self.get_object()
        payload = ArticleWriteSerializer(data=request.data, partial=kwargs.get("partial", False))
        payload.is_valid(raise_exception=True)
        article = services.article_update(
            by=request.user, article=article, **payload.validated_data
        )
        return Response(self.get_serializer(article).data)
