"""What a printed page repeats: its title, kept as rendered for the running header.

Django renders a block once; `{% remember "name" %}...{% endremember %}` renders what it
wraps (a block, say) and also keeps the text in the context under `name`, for a later part
of the same template. Hand-written because no template library of ours does this.
"""

from django import template
from django.template.base import Parser, Token
from django.template.context import Context
from django.utils.safestring import mark_safe

register = template.Library()


class RememberNode(template.Node):
    def __init__(self, name: str, nodelist: template.NodeList) -> None:
        self.name = name
        self.nodelist = nodelist

    def render(self, context: Context) -> str:
        text = self.nodelist.render(context)
        context[self.name] = mark_safe(text.strip())  # rendered, so escaped already
        return text


@register.tag
def remember(parser: Parser, token: Token) -> RememberNode:
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError('Use {% remember "name" %}...{% endremember %}')
    nodelist = parser.parse(("endremember",))
    parser.delete_first_token()
    return RememberNode(bits[1][1:-1], nodelist)
